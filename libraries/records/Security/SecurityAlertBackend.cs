namespace EdgeKv.Records.Security;

/// <summary>
/// Where the security alerts keeps alerts (append-only): <see cref="SqliteSecurityAlerts"/> or <see
/// cref="TableSecurityAlerts"/>.
/// </summary>
public abstract class SecurityAlertBackend
{
    /// <summary>
    /// Appends an alert with the next sequence number; when <paramref name="once"/>, only if none of the same kind,
    /// resource and principal exists (null then).
    /// </summary>
    public abstract Task<SecurityAlert?> AppendAsync(DateTimeOffset time, string kind, string? resource,
        string? principal, string message, bool once,
        CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<SecurityAlert>> ListAsync(string? resource, CancellationToken cancellationToken);
}
