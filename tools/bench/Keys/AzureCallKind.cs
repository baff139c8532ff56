using EdgeKv.Emulator.Admin;

namespace EdgeKv.Bench.Keys;

/// <summary>
/// Names the Azure operation a request of the emulator's request log was: its plane (token service, Resource Manager, a
/// vault's data plane), its method and what it addressed (names of resources and versions replaced by placeholders),
/// and its status when it was not a success. The benchmark counts calls by these kinds from what the emulator served.
/// </summary>
internal static class AzureCallKind
{
    /// <summary>The plane of a kind: <c>token</c>, <c>ARM</c>, <c>vault</c> or <c>other</c>.</summary>
    public static string PlaneOf(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind[..kind.IndexOf(' ', StringComparison.Ordinal)];
    }

    public static string Of(RequestLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string status = entry.Status is >= 200 and < 300 ? "" : $" ({entry.Status})";
        string[] s = entry.Path.Trim('/').Split('/');
        if (entry.Path.Contains("/oauth2/", StringComparison.Ordinal) || entry.Path.StartsWith("/msi/",
            StringComparison.Ordinal))
        {
            return $"token {entry.Method} {s[^1]}{status}";
        }

        if (s.Length >= 3 && s[0] == "vaults")
        {
            // The data plane: /vaults/{vault}/keys/{name}[/{version}|/versions|/create|...][/{operation}]. The object's
            // name is kept (a benchmark's objects are few: its key, EdgeKv's Key Exchange Key), the vault's and the
            // version's are not.
            var target = new List<string> { s[2] };
            if (s.Length > 3) target.Add(s[3]);
            if (s.Length > 4) target.Add(s[4] is "versions" or "create" or "import" or "recover" ? s[4] : "{version}");
            target.AddRange(s.Skip(5));
            return $"vault {entry.Method} {string.Join('/', target)}{status}";
        }

        if (s[0] == "subscriptions")
        {
            // Resource Manager: key segments kept (resourceGroups, providers/{namespace}, resource types), names
            // replaced.
            var target = new List<string>();
            int i = 2;
            if (i < s.Length && s[i] == "resourceGroups")
            {
                target.Add(i + 1 < s.Length ? "resourceGroups/{group}" : "resourceGroups");
                i += 2;
            }

            if (i < s.Length && s[i] == "providers" && i + 1 < s.Length)
            {
                target.Add("providers/" + s[i + 1]);
                i += 2;
            }

            for (; i < s.Length; i += 2)
            {
                target.Add(i + 1 < s.Length ? s[i] + "/{name}" : s[i]);
            }

            return $"ARM {entry.Method} {(target.Count == 0 ? "subscription" : string.Join('/', target))}{status}";
        }

        return $"other {entry.Method} {entry.Path}{status}";
    }
}
