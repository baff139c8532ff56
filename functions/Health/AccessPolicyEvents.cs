using Azure;
using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Activities;
using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;
using EdgeKv.Functions.Alerts;
using EdgeKv.Functions.Triggers.EventGrid;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Sweeps;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Health;

/// <summary>
/// Access-policy drift found where it happens: Key Vault's <c>Microsoft.KeyVault.VaultAccessPolicyChanged</c> (a
/// subscription on the vault; the topic is the vault's id) and Resource Manager's <c>ResourceWriteSuccess</c> of a
/// vault or of its access policies (the resource group's topic) make the webhook read that vault's policies at once and
/// raise (or, when the drift is gone, resolve) <see cref="AlertKind.AccessPolicyNotGrantedByEdgeKv"/>, with the sweep's
/// judgement.
/// </summary>
public sealed partial class AccessPolicyEvents(ResourceStore resources, AzureContextProvider azure,
    AccessPolicyDriftCheck drift, AlertRaiser raiser,
    SweepCheckStore sweepChecks, TimeProvider time, ILogger<AccessPolicyEvents> logger)
{
    private const string VaultSegment = "/providers/Microsoft.KeyVault/vaults/";

    public async Task HandleAsync(IReadOnlyList<ReceivedEvent> events, DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (string vaultId in events.Select(VaultIdOf).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await resources.FindByVaultIdAsync(vaultId,
                cancellationToken) is not { VaultName: not null } record) continue;
            // The next sweep runs this vault's per-vault reads too, whatever their schedule.
            await sweepChecks.MarkDirtyAsync(record.Name, time.GetUtcNow(), cancellationToken);
            if (!record.IsSettled(time.GetUtcNow()))
            {
                LogSkipped(logger, record.Name);
                continue;
            }

            AzureContext az = await azure.GetAsync(cancellationToken);
            VaultProperties vault;
            try
            {
                vault = await az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId).GetAsync(record.ResourceGroup, record.VaultName, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
            {
                continue; // deleted since: the deletion event and the sweep judge it
            }

            IReadOnlyList<AlertObservation> found = await drift.CheckAsync(az.ServiceObjectId, record, vault,
                cancellationToken);
            // One alert per flagged principal raised or kept; those of entries gone or accepted since resolved.
            await raiser.ApplyCheckAsync(record.Name, [AlertKind.AccessPolicyNotGrantedByEdgeKv], found,
                $"Vault '{vault.Name}' of '{record.Name}' has an access policy EdgeKv did not grant.", client,
                cancellationToken);
            if (found.Count > 0) LogRaised(logger, record.Name, vault.Name);
        }
    }

    /// <summary>
    /// The vault an event is about, when it reports a change of access policies (or a write of the vault, which may
    /// carry them).
    /// </summary>
    private static string? VaultIdOf(ReceivedEvent e) => e.SystemData switch
    {
        KeyVaultAccessPolicyChangedEventData => IsVaultId(e.Source) ? e.Source : null,
        ResourceWriteSuccessEventData write when write.OperationName is { } op
            && (op.Equals("Microsoft.KeyVault/vaults/accessPolicies/write", StringComparison.OrdinalIgnoreCase)
                || op.Equals("Microsoft.KeyVault/vaults/write",
                    StringComparison.OrdinalIgnoreCase)) => VaultOf(write.ResourceUri ?? e.Subject),
        _ => null,
    };

    private static bool IsVaultId(string? id) => id is not null && id.Contains(VaultSegment,
        StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>.../vaults/{name}</c> of a vault or of a child such as <c>.../vaults/{name}/accessPolicies/add</c>.
    /// </summary>
    private static string? VaultOf(string? id)
    {
        if (!IsVaultId(id)) return null;
        int start = id!.IndexOf(VaultSegment, StringComparison.OrdinalIgnoreCase) + VaultSegment.Length;
        int end = id.IndexOf('/', start);
        return end < 0 ? id : id[..end];
    }

    [LoggerMessage(2214, LogLevel.Warning,
        "Vault {Vault} of {Resource}: an access policy EdgeKv did not grant (Event Grid); alert raised.")]
    private static partial void LogRaised(ILogger logger, string resource, string vault);

    [LoggerMessage(2215, LogLevel.Information,
        "Access policy change on the vault of {Resource} not judged: a flow is running on it; the next sweep judges it.")]
    private static partial void LogSkipped(ILogger logger, string resource);
}
