using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Orchestrations;

/// <summary>
/// The health sweep: lists the page markers of the fleet, fans out one <see cref="CheckHealthPageActivity"/> per page
/// (at most <see cref="SweepRequest.MaxParallelPages"/> at once), each of which checks its resources and records alerts;
/// then one notification of what was raised or resolved. One sweep runs at a time across hosts: every starter uses
/// the fixed instance id <see cref="InstanceId"/>, and the store refuses a second one while it runs.
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
        IReadOnlyList<string?> markers = await context.CallActivityAsync<IReadOnlyList<string?>>(ListSweepPagesActivity.Name, input.PageSize, CallPolicies.StoreCalls);
        var results = new List<SweepPageResult>();
        // Every pass awaits its window (Chunk refuses a size below one), so the loop can never spin without yielding.
        foreach (string?[] window in markers.Chunk(input.MaxParallelPages))
        {
            context.SetCustomStatus(new SweepStatus(results.Count, markers.Count));
            results.AddRange(await Task.WhenAll(window.Select(m =>
                context.CallActivityAsync<SweepPageResult>(CheckHealthPageActivity.Name, new SweepPage(sweepId, m, input.PageSize), CallPolicies.CheckCalls))));
        }

        var changes = results.SelectMany(r => r.Changes).ToList();
        var summary = new SweepSummary(input.Trigger, markers.Count, results.Sum(r => r.Checked), results.Sum(r => r.Skipped), results.Sum(r => r.ActiveFaults),
            changes.Count(c => c.Change == AlertChangeKind.Raised), changes.Count(c => c.Change == AlertChangeKind.Resolved));
        context.SetCustomStatus(new SweepStatus(markers.Count, markers.Count));
        if (changes.Count > 0)
        {
            await context.CallActivityAsync<bool>(NotifyActivity.Name,
                new Notification("AlertsChanged", null, $"Health sweep: {summary.Raised} alerts raised, {summary.Resolved} resolved.", changes), CallPolicies.NotifyCalls);
        }

        Logs.SweepCompleted(log, summary.Checked, summary.Skipped, summary.Raised, summary.Resolved);
        return summary;
    }
}

/// <summary>The custom status while a sweep runs: pages started out of all pages.</summary>
public sealed record SweepStatus(int PagesStarted, int Pages);
