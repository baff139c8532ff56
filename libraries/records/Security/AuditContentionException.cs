namespace EdgeKv.Records.Security;

/// <summary>
/// So many writers appended at once that this record lost every attempt to take the tail; it was not written.
/// </summary>
public sealed class AuditContentionException(string message) : Exception(message);
