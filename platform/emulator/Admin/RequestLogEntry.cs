namespace EdgeKv.Emulator.Admin;

/// <summary>
/// One served request: when (emulator clock), method, path, query, status and the caller's object id.
/// </summary>
public sealed record RequestLogEntry(DateTimeOffset Time, string Method, string Path, string Query, int Status,
    Guid? CallerObjectId);
