using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities.Secrets;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The vault's secrets, from its secret list (names and attributes only, so a sweep reads no secret value): the Channel
/// Integrity Key is there, and no secret is near its expiry or past it (<see cref="SecretExpiryCheck"/>). A data-plane
/// list per vault, on the vault's schedule of reads; Key Vault's own near-expiry and expiry events raise those alerts
/// at once in between, and a secret found near expiry keeps the vault's reads due in every sweep until it is renewed.
/// </summary>
public sealed class VaultSecretsCheck(SecretExpiryCheck expiry) : IVaultHealthCheck
{
    public bool RunsWhenDue => true;

    public async Task<IReadOnlyList<AlertObservation>> CheckAsync(VaultCheckContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Vault.VaultUri is null) return [];
        SecretClient client = context.Azure.CreateServiceSecretClient(context.Vault.VaultUri);
        var secrets = new List<SecretProperties>();
        await foreach (SecretProperties secret in client.GetPropertiesOfSecretsAsync(cancellationToken)) secrets.Add(secret);

        var found = new List<AlertObservation>();
        string cik = context.Record.CikSecretName ?? Activation.StoreChannelIntegrityKeyActivity.SecretName;
        if (!secrets.Any(s => string.Equals(s.Name, cik, StringComparison.OrdinalIgnoreCase)))
        {
            found.Add(context.Finding(AlertKind.ChannelIntegrityKeyMissing,
                $"The channel integrity key secret is missing from vault '{context.Vault.Name}'."));
        }

        found.AddRange(expiry.Check(context.Record.Name, secrets));
        return found;
    }
}
