using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Activities.Health;
using EdgeKv.Durable;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Functions.Health;

/// <summary>
/// Event Grid function <c>VaultEvents</c> (subscribe the resource group or subscription topic to
/// <c>Microsoft.Resources.ResourceDeleteSuccess</c>): the deletion of a vault EdgeKv manages raises the critical
/// <see cref="AlertKind.VaultDeleted"/> alert at once and sends the notification (with retries, through an
/// orchestration). Every other event, and deletions of vaults EdgeKv does not manage, are acknowledged and ignored.
/// </summary>
public sealed partial class VaultEventsFunction(ResourceStore resources, AlertStore alerts, DurableTaskClient client, ILogger<VaultEventsFunction> logger)
    : IEventGridFunction
{
    public const string FunctionName = "VaultEvents";

    public string Name => FunctionName;

    public async Task HandleAsync(IReadOnlyList<ReceivedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var deleted = events
            .Select(e => e.SystemData is ResourceDeleteSuccessEventData d ? d.ResourceUri ?? e.Subject : null)
            .Where(uri => uri is not null && uri.Contains("/providers/Microsoft.KeyVault/vaults/", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (deleted.Count == 0) return;

        var managed = (await resources.ListAsync(cancellationToken))
            .Where(r => r.VaultId is not null)
            .ToDictionary(r => r.VaultId!, StringComparer.OrdinalIgnoreCase);
        foreach (string vaultId in deleted!)
        {
            if (!managed.TryGetValue(vaultId!, out ResourceRecord? record))
            {
                LogIgnored(logger, vaultId!);
                continue;
            }

            AlertChange change = await alerts.RaiseAsync(new AlertObservation(record.Name, AlertKind.VaultDeleted,
                $"Vault '{record.VaultName}' was deleted (Event Grid: ResourceDeleteSuccess). It is soft-deleted and recoverable within its retention, or unreachable."),
                cancellationToken);
            LogRaised(logger, record.Name, record.VaultName!);
            if (change.Change == AlertChangeKind.Raised)
            {
                await client.ScheduleNewOrchestrationInstanceAsync(NotificationOrchestrator.Name,
                    new Notification("AlertsChanged", record.Name, $"Critical: vault '{record.VaultName}' of '{record.Name}' was deleted.", [change]),
                    new StartOrchestrationOptions($"notify-{change.AlertId}"), cancellationToken);
            }
        }
    }

    [LoggerMessage(2211, LogLevel.Warning, "Vault {Vault} of {Resource} was deleted: critical alert raised.")]
    private static partial void LogRaised(ILogger logger, string resource, string vault);

    [LoggerMessage(2212, LogLevel.Debug, "Deletion of {VaultId} ignored: not a vault EdgeKv manages.")]
    private static partial void LogIgnored(ILogger logger, string vaultId);
}
