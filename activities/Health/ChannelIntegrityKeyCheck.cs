using Azure.Security.KeyVault.Secrets;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The Channel Integrity Key secret is in the vault: the vault's secret list (names only, so a sweep reads no secret
/// value), a data-plane read per vault, on the vault's schedule of reads.
/// </summary>
public sealed class ChannelIntegrityKeyCheck : IVaultHealthCheck
{
    public bool RunsWhenDue => true;

    public async Task<IReadOnlyList<AlertObservation>> CheckAsync(VaultCheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Vault.VaultUri is null) return [];
        string name = context.Record.CikSecretName ?? Activation.StoreChannelIntegrityKeyActivity.SecretName;
        SecretClient client = context.Azure.CreateServiceSecretClient(context.Vault.VaultUri);
        await foreach (SecretProperties secret in client.GetPropertiesOfSecretsAsync(cancellationToken))
        {
            if (string.Equals(secret.Name, name, StringComparison.OrdinalIgnoreCase)) return [];
        }

        return [context.Finding(AlertKind.ChannelIntegrityKeyMissing, $"The channel integrity key secret is missing from vault '{context.Vault.Name}'.")];
    }
}
