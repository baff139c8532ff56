using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 3: a standard-tier vault, soft-delete with 90-day retention and purge protection, tagged with the owning
/// resource id, with the configured permission model stated explicitly. With access policies EdgeKv's own principal is
/// the first policy (to write the CIK); with Azure RBAC the vault has none and EdgeKv's own role is assigned at the
/// vault (<see cref="VaultRoleGrants"/>). An existing vault of this resource is kept as it is, so a re-run never
/// replaces access policies; on an RBAC vault EdgeKv's assignment is made again if it is missing.
/// </summary>
[DurableTask(Name)]
public sealed class CreateVaultActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<VaultNetworkSettings> network,
    IOptions<VaultPermissionSettings> permissions,
    ILogger<CreateVaultActivity> logger) : TaskActivity<ResourceStep, VaultRef>
{
    public const string Name = "CreateVault";

    /// <summary>
    /// What EdgeKv itself may do with the vault's secrets: write the CIK and keep the device's secrets healthy.
    /// </summary>
    public static readonly IReadOnlyList<string> ServiceSecretPermissions = ["get", "list", "set", "delete", "recover"];

    public override async Task<VaultRef> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string name = input.VaultName ?? record.RequireVault();
        VaultsClient vaults = az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId);
        VaultProperties? vault = await VaultNames.EnsureUsableAsync(vaults, record.ResourceGroup, name,
            record.ResourceId, ct);
        if (vault is null)
        {
            bool rbac = permissions.Value.UsesRbac;
            var definition = new VaultDefinition(
                record.Location,
                az.TenantId,
                rbac ? [] : [new VaultAccessPolicy(az.TenantId, az.ServiceObjectId.ToString(),
                    ServiceSecretPermissions)],
                SkuName: "standard",
                SoftDeleteRetentionInDays: 90,
                EnablePurgeProtection: true,
                Tags: new Dictionary<string, string> { [VaultNames.OwnerTag] = record.ResourceId }) { NetworkRules = network.Value.Rules, EnableRbacAuthorization = rbac };
            vault = await AzureFailures.RefuseNonTransientAsync(() => vaults.CreateOrUpdateAsync(record.ResourceGroup,
                name, definition, ct));
            Logs.VaultCreated(logger, name, record.Name);
        }
        else
        {
            Logs.VaultKept(logger, name, record.Name);
        }

        if (vault.EnableRbacAuthorization)
        {
            await VaultRoleGrants.GrantServiceAsync(az, vault.Id, ct);
        }

        string uri = vault.VaultUri?.ToString() ?? throw new InvalidOperationException($"Vault '{name}' has no vaultUri yet.");
        await store.UpdateAsync(record.Name,
            r => r with { VaultName = vault.Name, VaultId = vault.Id, VaultUri = uri, PreVaultIntegration = false },
            ct);
        return new VaultRef(vault.Id, vault.Name, uri);
    }
}
