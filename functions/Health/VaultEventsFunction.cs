using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Functions.Alerts;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Sweeps;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Health;

/// <summary>
/// Event Grid function <c>VaultEvents</c> (subscribe the resource group or subscription topic to
/// <c>Microsoft.Resources.ResourceDeleteSuccess</c>): the deletion of a vault EdgeKv manages raises the critical
/// <see cref="AlertKind.VaultDeleted"/> alert at once and sends the notification (with retries, through an
/// orchestration). Changes of a managed vault's access policies (<c>Microsoft.KeyVault.VaultAccessPolicyChanged</c>, or
/// Resource Manager's <c>ResourceWriteSuccess</c> of the vault) go to <see cref="AccessPolicyEvents"/>, and Key Vault's
/// secret expiry events to <see cref="SecretExpiryEventsHandler"/>. Every other event,
/// and events of vaults EdgeKv does not manage, are acknowledged and ignored.
/// </summary>
public sealed partial class VaultEventsFunction(ResourceStore resources, AlertRaiser alerts,
    AccessPolicyEvents accessPolicies, SecretExpiryEventsHandler secretExpiry,
    SweepCheckStore sweepChecks, TimeProvider time, ILogger<VaultEventsFunction> logger)
    : IEventGridFunction
{
    public const string FunctionName = "VaultEvents";

    public string Name => FunctionName;

    public async Task HandleAsync(IReadOnlyList<ReceivedEvent> events, DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await accessPolicies.HandleAsync(events, client, cancellationToken);
        await secretExpiry.HandleAsync(events, client, cancellationToken);
        var deleted = events
            .Select(e => e.SystemData is ResourceDeleteSuccessEventData d ? d.ResourceUri ?? e.Subject : null)
            .Where(uri => uri is not null && uri.Contains("/providers/Microsoft.KeyVault/vaults/",
                StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (deleted.Count == 0) return;

        foreach (string vaultId in deleted!)
        {
            // An indexed lookup: a fleet of thousands is not read per event.
            if (await resources.FindByVaultIdAsync(vaultId, cancellationToken) is not { } record)
            {
                LogIgnored(logger, vaultId);
                continue;
            }

            // The next sweep reads this resource's vault again whatever its schedule (a vault recreated under the name
            // is a new one).
            await sweepChecks.MarkDirtyAsync(record.Name, time.GetUtcNow(), cancellationToken);
            AlertChange? raised = await alerts.RaiseForAsync(record,
                new AlertObservation(record.Name, AlertKind.VaultDeleted,
                $"Vault '{record.VaultName}' was deleted (Event Grid: ResourceDeleteSuccess). It is soft-deleted and recoverable within its retention, or unreachable."),
                $"Critical: vault '{record.VaultName}' of '{record.Name}' was deleted.", client, cancellationToken);
            if (raised is null) LogFlowRunning(logger, record.Name, record.VaultName!);
            else LogRaised(logger, record.Name, record.VaultName!);
        }
    }

    [LoggerMessage(2211, LogLevel.Warning, "Vault {Vault} of {Resource} was deleted: critical alert raised.")]
    private static partial void LogRaised(ILogger logger, string resource, string vault);

    [LoggerMessage(2213, LogLevel.Information,
        "Deletion of vault {Vault} of {Resource} not alerted: the resource is activating, being recovered or deleted; the next sweep judges it.")]
    private static partial void LogFlowRunning(ILogger logger, string resource, string vault);

    [LoggerMessage(2212, LogLevel.Debug, "Deletion of {VaultId} ignored: not a vault EdgeKv manages.")]
    private static partial void LogIgnored(ILogger logger, string vaultId);
}
