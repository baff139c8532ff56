namespace EdgeKv.Activities.Health;

/// <summary>The parts of a Resource Manager id the sweep's lists are grouped by.</summary>
public static class ResourceIdParts
{
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
