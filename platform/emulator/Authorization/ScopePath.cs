namespace EdgeKv.Emulator.Authorization;

/// <summary>Resource id arithmetic: whether a scope contains an id, and the resource group of an id.</summary>
public static class ScopePath
{
    /// <summary>True when <paramref name="id"/> is <paramref name="scope"/> or lies under it.</summary>
    public static bool IsAtOrBelow(string id, string scope)
    {
        var trimmedScope = scope.TrimEnd('/');
        var trimmedId = id.TrimEnd('/');
        return trimmedId.Equals(trimmedScope, StringComparison.OrdinalIgnoreCase) ||
            trimmedId.StartsWith(trimmedScope + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// <paramref name="id"/> and every path above it, at each segment boundary (<c>/subscriptions/s</c>,
    /// <c>/subscriptions/s/resourceGroups</c>, <c>/subscriptions/s/resourceGroups/g</c> and so on): the scopes whose
    /// locks and role assignments apply to it.
    /// </summary>
    public static IEnumerable<string> SelfAndAncestors(string id)
    {
        var trimmed = id.TrimEnd('/');
        for (var slash = trimmed.IndexOf('/', 1); slash > 0; slash = trimmed.IndexOf('/', slash + 1))
        {
            yield return trimmed[..slash];
        }

        if (trimmed.Length > 0)
        {
            yield return trimmed;
        }
    }

    public static string? ResourceGroupOf(string id)
    {
        var segments = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            {
                return segments[i + 1];
            }
        }

        return null;
    }

    public static string? SubscriptionOf(string id)
    {
        var segments = id.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0].Equals("subscriptions",
            StringComparison.OrdinalIgnoreCase) ? segments[1] : null;
    }
}
