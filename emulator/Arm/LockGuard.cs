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

    public static string ScopeOfLock(string lockId) => lockId[..lockId.LastIndexOf(LockSegment, StringComparison.OrdinalIgnoreCase)];

    public async Task EnsureCanDeleteAsync(string targetId, CancellationToken cancellationToken)
    {
        var locked = (await resources.ListAsync(LockType, cancellationToken))
            .Select(doc => ScopeOfLock((string)doc["id"]!))
            .Where(scope => ScopePath.IsAtOrBelow(targetId, scope) || ScopePath.IsAtOrBelow(scope, targetId))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (locked.Count > 0)
        {
            throw ArmErrors.ScopeLocked(targetId, "delete", locked);
        }
    }

    public async Task EnsureCanWriteAsync(string targetId, CancellationToken cancellationToken)
    {
        var locked = (await resources.ListAsync(LockType, cancellationToken))
            .Where(doc => string.Equals((string?)doc["properties"]?["level"], "ReadOnly", StringComparison.OrdinalIgnoreCase))
            .Select(doc => ScopeOfLock((string)doc["id"]!))
            .Where(scope => ScopePath.IsAtOrBelow(targetId, scope))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (locked.Count > 0)
        {
            throw ArmErrors.ScopeLocked(targetId, "write", locked);
        }
    }
}
