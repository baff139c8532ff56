using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// A healing flow finished: resolves the resource's active alerts of the kinds it healed (only
/// <see cref="ResolveAlertsRequest.Principal"/>'s when the request names one); returns what changed.
/// </summary>
[DurableTask(Name)]
public sealed class ResolveAlertsActivity(AlertStore alerts) : TaskActivity<ResolveAlertsRequest, IReadOnlyList<AlertChange>>
{
    public const string Name = "ResolveAlerts";

    public override Task<IReadOnlyList<AlertChange>> RunAsync(TaskActivityContext context,
        ResolveAlertsRequest input) =>
        alerts.ResolveAsync(input.ResourceName, input.Kinds, input.Principal, context.CancellationToken);
}

public sealed record ResolveAlertsRequest(string ResourceName, IReadOnlyList<AlertKind> Kinds,
    string? Principal = null);
