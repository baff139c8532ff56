namespace EdgeKv.Orchestrations.Keys;

/// <summary>
/// Instance ids of the key flows, one per key (and provider): a second request while one runs joins it. Names are
/// letters, digits and hyphens, so ':' separates them unambiguously.
/// </summary>
public static class KeyFlowIds
{
    public static string Distribute(string kmsName,
        string keyName) => $"keys:distribute:{kmsName.ToLowerInvariant()}:{keyName.ToLowerInvariant()}";

    public static string Remove(string kmsName,
        string keyName) => $"keys:remove:{kmsName.ToLowerInvariant()}:{keyName.ToLowerInvariant()}";

    public static string Rotate(string keyName) => $"keys:rotate:{keyName.ToLowerInvariant()}";

    public static string MinEnabledVersion(string keyName) => $"keys:min-enabled-version:{keyName.ToLowerInvariant()}";
}
