using EdgeKv.Emulator.Authorization;

namespace EdgeKv.Emulator.Arm;

/// <summary>
/// Enforces management locks: a delete is refused when a lock sits on the target, above it, or below it (a
/// cascade would remove the locked resource); a write is refused under a ReadOnly lock on the target or above.
/// </summary>
internal sealed class LockGuard(ResourceRepository resources)
{
    public const string LockType = "Microsoft.Authorization/locks";
    private const string LockSegment = "/providers/Microsoft.Authorization/locks/";

    public static string ScopeOfLock(string lockId) => lockId[..lockId.LastIndexOf(LockSegment,
        StringComparison.OrdinalIgnoreCase)];

    public async Task EnsureCanDeleteAsync(string targetId, CancellationToken cancellationToken)
    {
        var locked = (await LocksAboveAsync(targetId, cancellationToken))
            .Concat(await resources.ListAsync(LockType, targetId, cancellationToken))
            .Select(doc => ScopeOfLock((string)doc["id"]!))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (locked.Count > 0)
        {
            throw ArmErrors.ScopeLocked(targetId, "delete", locked);
        }
    }

    public async Task EnsureCanWriteAsync(string targetId, CancellationToken cancellationToken)
    {
        var locked = (await LocksAboveAsync(targetId, cancellationToken))
            .Where(doc => string.Equals((string?)doc["properties"]?["level"], "ReadOnly",
                StringComparison.OrdinalIgnoreCase))
            .Select(doc => ScopeOfLock((string)doc["id"]!))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (locked.Count > 0)
        {
            throw ArmErrors.ScopeLocked(targetId, "write", locked);
        }
    }

    /// <summary>
    /// Locks whose scope is the target or one of its ancestors: a few ordered-range reads, not a scan of every lock.
    /// </summary>
    private Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> LocksAboveAsync(string targetId,
        CancellationToken cancellationToken) =>
        resources.ListAtScopesAsync(LockType,
            ScopePath.SelfAndAncestors(targetId).Select(scope => scope + LockSegment.TrimEnd('/')), cancellationToken);
}
