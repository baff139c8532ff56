using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

// Messages of the health sweep and the alert notifications. Persisted in orchestration history: names, counts and
// findings only, never a secret value. Persisted shapes are versioned, not edited in place.

/// <summary>
/// Input of the sweep: how many resources one activity checks, how many pages run at once, and who started it.
/// </summary>
public sealed record SweepRequest(int PageSize, int MaxParallelPages, string Trigger);

/// <summary>
/// One page of the fleet: the resources after <paramref name="AfterName"/> (keyset), at most <paramref name="Size"/>;
/// the sweep id scopes shared lists.
/// </summary>
public sealed record SweepPage(string SweepId, string? AfterName, int Size);

/// <summary>
/// What one page found: resources checked, legacy resources skipped, and the alerts raised or resolved; and what it
/// cost: its read requests to Resource Manager and to the vaults (every attempt), and the resources whose per-vault
/// reads were due (the rest were judged from the fleet lists alone). The last three are zero in pages recorded before
/// them.
/// </summary>
public sealed record SweepPageResult(int Checked, int Skipped, int ActiveFaults, IReadOnlyList<AlertChange> Changes,
    long ArmReads = 0, long DataPlaneReads = 0, int ReadsDue = 0);

/// <summary>
/// Output of the sweep. <paramref name="UncheckedPages"/> lists the pages (by the name they start after; null is the
/// first page) whose checks ran out of attempts: their resources keep their alerts as they were and are checked again
/// by the next sweep. <paramref name="ArmReads"/> and <paramref name="DataPlaneReads"/> are the sweep's read requests
/// to Resource Manager (fleet lists and per-vault reads) and to the vaults; <paramref name="ReadsDue"/> the resources
/// whose per-vault reads ran.
/// </summary>
public sealed record SweepSummary(string Trigger, int Pages, int Checked, int Skipped, int ActiveFaults, int Raised,
    int Resolved,
    IReadOnlyList<string?>? UncheckedPages = null, long ArmReads = 0, long DataPlaneReads = 0, int ReadsDue = 0);

/// <summary>
/// A JSON notification to the configured webhook: alerts raised or resolved, or a long flow that finished.
/// </summary>
public sealed record Notification(string Kind, string? Resource, string Summary, IReadOnlyList<AlertChange> Alerts);
