using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// Raises an alert found outside a sweep (an Event Grid event, a device that cannot reach its vault) and, when it is
/// new, notifies the webhook through the notification orchestration (retried, once per alert). The Durable client is an
/// argument: the isolated worker has none among its services, only the <c>[DurableClient]</c> parameter of the function
/// that raises the alert.
/// </summary>
public sealed class AlertRaiser(AlertStore alerts, TimeProvider time)
{
    /// <summary>
    /// Raises the alert unless the resource is not settled (still activating, or a recovery or deletion is running):
    /// then the flow explains the condition, and the next sweep judges the resource once it has ended. Null when
    /// skipped.
    /// </summary>
    public async Task<AlertChange?> RaiseForAsync(ResourceRecord record, AlertObservation observation, string summary,
        DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.IsSettled(time.GetUtcNow()) ? await RaiseAsync(observation, summary, client,
            cancellationToken) : null;
    }

    public async Task<AlertChange> RaiseAsync(AlertObservation observation, string summary, DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(client);
        AlertChange change = await alerts.RaiseAsync(observation, cancellationToken);
        if (change.Change == AlertChangeKind.Raised)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(NotificationOrchestrator.Name,
                new Notification("AlertsChanged", observation.Resource, summary, [change]),
                new StartOrchestrationOptions($"notify-{change.AlertId}"), cancellationToken);
        }

        return change;
    }

    /// <summary>
    /// Applies one check of <paramref name="kinds"/> on the resource found outside a sweep (an event): each
    /// observation raised or updated, the active alerts of those kinds it no longer finds resolved; the webhook is
    /// notified of each alert raised anew (once per alert).
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ApplyCheckAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        IReadOnlyList<AlertObservation> observations, string summary, DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        IReadOnlyList<AlertChange> changes = await alerts.ApplyCheckAsync([resource], kinds, observations,
            cancellationToken);
        foreach (AlertChange raised in changes.Where(c => c.Change == AlertChangeKind.Raised))
        {
            await client.ScheduleNewOrchestrationInstanceAsync(NotificationOrchestrator.Name,
                new Notification("AlertsChanged", resource, summary, [raised]),
                new StartOrchestrationOptions($"notify-{raised.AlertId}"), cancellationToken);
        }

        return changes;
    }

    /// <summary>
    /// Resolves the resource's active alerts of <paramref name="kinds"/>, found healed outside a flow (a device's late
    /// answer), and notifies the webhook of what changed (once per <paramref name="occasion"/>).
    /// </summary>
    public async Task<IReadOnlyList<AlertChange>> ResolveAsync(string resource, IReadOnlyCollection<AlertKind> kinds,
        string summary, string occasion,
        DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        IReadOnlyList<AlertChange> changes = await alerts.ResolveAsync(resource, kinds, cancellationToken);
        if (changes.Count > 0)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(NotificationOrchestrator.Name,
                new Notification("AlertsChanged", resource, summary, changes),
                new StartOrchestrationOptions($"notify-{occasion}"), cancellationToken);
        }

        return changes;
    }
}
