using EdgeKv.Activities.Health;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Orchestrations;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.Alerts;

/// <summary>
/// Raises an alert found outside a sweep (an Event Grid event, a device that cannot reach its vault) and, when it is
/// new, notifies the webhook through the notification orchestration (retried, once per alert).
/// </summary>
public sealed class AlertRaiser(AlertStore alerts, DurableTaskClient client)
{
    public async Task<AlertChange> RaiseAsync(AlertObservation observation, string summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        AlertChange change = await alerts.RaiseAsync(observation, cancellationToken);
        if (change.Change == AlertChangeKind.Raised)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(NotificationOrchestrator.Name, new Notification("AlertsChanged", observation.Resource, summary, [change]),
                new StartOrchestrationOptions($"notify-{change.AlertId}"), cancellationToken);
        }

        return change;
    }
}
