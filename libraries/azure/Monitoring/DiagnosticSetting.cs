namespace EdgeKv.Azure.Monitoring;

/// <summary>
/// A diagnostic setting: where a resource's logs go and which categories (or category groups) are on.
/// </summary>
public sealed record DiagnosticSetting(
    string Id,
    string Name,
    string? StorageAccountId,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> CategoryGroups);
