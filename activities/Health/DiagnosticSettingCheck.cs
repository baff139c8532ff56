using EdgeKv.Azure.Monitoring;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The vault sends its audit events to storage: one Resource Manager read per vault (diagnostic settings are extension
/// resources, which no fleet list returns), so it runs on the vault's schedule of reads.
/// </summary>
public sealed class DiagnosticSettingCheck : IVaultHealthCheck
{
    public bool RunsWhenDue => true;

    public async Task<IReadOnlyList<AlertObservation>> CheckAsync(VaultCheckContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = await new DiagnosticSettingsClient(context.Azure.Factory.ArmClient,
            context.SubscriptionId).ListAsync(context.Vault.Id, cancellationToken);
        return settings.Any(s => s.StorageAccountId is not null)
            ? []
            : [context.Finding(AlertKind.DiagnosticSettingMissing,
                $"Vault '{context.Vault.Name}' has no diagnostic setting sending its audit events to storage.")];
    }
}
