using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Sweeps;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// The health sweep: lists the page markers of the fleet, fans out one <see cref="CheckHealthPageActivity"/> per page
/// (at most <see cref="SweepRequest.MaxParallelPages"/> at once), each of which checks its resources and records alerts
/// and counts its reads of Azure; then records the sweep (with those reads summed) in the sweep history (keyed by its
/// own id: the instance id is the same for every sweep) and sends one notification of what was raised or resolved. One
/// sweep runs at a time across hosts: every starter uses the fixed instance id <see cref="InstanceId"/>, and the store
/// refuses a second one while it runs.
/// </summary>
[DurableTask(Name)]
public sealed class HealthSweepOrchestrator : TaskOrchestrator<SweepRequest?, SweepSummary>
{
    public const string Name = "HealthSweep";
    public const string InstanceId = "health-sweep";

    public override async Task<SweepSummary> RunAsync(TaskOrchestrationContext context, SweepRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        ILogger log = context.CreateReplaySafeLogger<HealthSweepOrchestrator>();
        string sweepId = context.NewGuid().ToString("N");
        DateTimeOffset startedAt = context.CurrentUtcDateTime;
        IReadOnlyList<string?> markers = await context.CallActivityAsync<IReadOnlyList<string?>>(ListSweepPagesActivity.Name, input.PageSize, CallPolicies.StoreCalls);
        var results = new List<SweepPageResult>();
        var uncheckedPages = new List<string?>();
        // Every pass awaits its window (Chunk refuses a size below one), so the loop can never spin without yielding.
        foreach (string?[] window in markers.Chunk(input.MaxParallelPages))
        {
            context.SetCustomStatus(new SweepStatus(results.Count + uncheckedPages.Count, markers.Count));
            SweepPageResult?[] checkedPages = await Task.WhenAll(window.Select(m => CheckPageAsync(context,
                new SweepPage(sweepId, m, input.PageSize))));
            for (int i = 0; i < window.Length; i++)
            {
                if (checkedPages[i] is { } result) results.Add(result);
                else uncheckedPages.Add(window[i]);
            }
        }

        IReadOnlyList<AlertChange> keyDrift = await Keys.KeyDriftSweep.CheckAsync(context);
        var changes = results.SelectMany(r => r.Changes).Concat(keyDrift).ToList();
        var summary = new SweepSummary(input.Trigger, markers.Count, results.Sum(r => r.Checked),
            results.Sum(r => r.Skipped), results.Sum(r => r.ActiveFaults),
            changes.Count(c => c.Change == AlertChangeKind.Raised),
            changes.Count(c => c.Change == AlertChangeKind.Resolved), uncheckedPages,
            results.Sum(r => r.ArmReads), results.Sum(r => r.DataPlaneReads), results.Sum(r => r.ReadsDue));
        context.SetCustomStatus(new SweepStatus(markers.Count, markers.Count));
        await RecordAsync(context,
            new SweepRecord(sweepId, context.InstanceId, input.Trigger, startedAt, context.CurrentUtcDateTime,
                summary.Pages,
            summary.Checked, summary.Skipped, summary.ActiveFaults, uncheckedPages.Count, summary.Raised,
            summary.Resolved, summary.ArmReads, summary.DataPlaneReads));
        if (changes.Count > 0)
        {
            await context.CallActivityAsync<bool>(NotifyActivity.Name,
                new Notification("AlertsChanged", null,
                    $"Health sweep: {summary.Raised} alerts raised, {summary.Resolved} resolved.", changes),
                    CallPolicies.NotifyCalls);
        }

        Logs.SweepCompleted(log, summary.Checked, summary.Skipped, summary.Raised, summary.Resolved);
        if (uncheckedPages.Count > 0) Logs.SweepPagesUnchecked(log, uncheckedPages.Count, markers.Count);
        return summary;
    }

    /// <summary>
    /// The history is a view of past sweeps: a store that stays unwritable after its retries costs that record, not the
    /// sweep.
    /// </summary>
    private static async Task RecordAsync(TaskOrchestrationContext context, SweepRecord sweep)
    {
        try
        {
            await context.CallActivityAsync<bool>(RecordSweepActivity.Name, sweep, CallPolicies.StoreCalls);
        }
        catch (TaskFailedException)
        {
            Logs.SweepNotRecorded(context.CreateReplaySafeLogger<HealthSweepOrchestrator>(), sweep.Id);
        }
    }

    /// <summary>
    /// One page's checks; a page that runs out of attempts (Azure unreachable or throttling for longer than its
    /// retries) is reported as unchecked instead of failing the sweep, so the other pages' results are kept.
    /// </summary>
    private static async Task<SweepPageResult?> CheckPageAsync(TaskOrchestrationContext context, SweepPage page)
    {
        try
        {
            return await context.CallActivityAsync<SweepPageResult>(CheckHealthPageActivity.Name, page,
                CallPolicies.CheckCalls);
        }
        catch (TaskFailedException)
        {
            return null;
        }
    }
}

/// <summary>The custom status while a sweep runs: pages started out of all pages.</summary>
public sealed record SweepStatus(int PagesStarted, int Pages);
