namespace EdgeKv.Activities.Health;

/// <summary>
/// The subscription a resource lives in, read from its Resource Manager id (<c>/subscriptions/{id}/...</c>); the
/// configured one for an id that names none.
/// </summary>
public static class ResourceSubscription
{
    private const string Prefix = "/subscriptions/";

    public static string Of(string? resourceId, string fallback)
    {
        if (resourceId is null || !resourceId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return fallback;
        int end = resourceId.IndexOf('/', Prefix.Length);
        string id = end < 0 ? resourceId[Prefix.Length..] : resourceId[Prefix.Length..end];
        return id.Length > 0 ? id : fallback;
    }

    /// <summary>The resource group named in a Resource Manager id, or null.</summary>
    public static string? GroupOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        const string segment = "/resourceGroups/";
        int start = id.IndexOf(segment, StringComparison.OrdinalIgnoreCase);
        if (start < 0) return null;
        start += segment.Length;
        int end = id.IndexOf('/', start);
        return end < 0 ? id[start..] : id[start..end];
    }
}
