using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 9: the resource's identity in the vault's access policies with Get and Set on secrets, nothing else. An entry
/// that already says exactly that is left alone; one that says anything else is replaced. On a vault that uses Azure
/// RBAC (its own <c>enableRbacAuthorization</c>, whatever the setting says now) the identity gets EdgeKv's device role
/// at the vault instead, and EdgeKv's own assignment is made again too (a recovered vault comes back without them).
/// </summary>
[DurableTask(Name)]
public sealed class GrantIdentityAccessActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<GrantIdentityAccessActivity> logger)
    : TaskActivity<ResourceStep, string>
{
    public const string Name = "GrantIdentityAccess";

    public static readonly IReadOnlyList<string> IdentitySecretPermissions = ["get", "set"];

    public override async Task<string> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string vaultName = record.RequireVault();
        Guid principal = record.PrincipalId ?? throw new ActivationRefusedException("SystemAssignedIdentityMissing",
            $"Resource '{record.Name}' has no identity recorded.");
        Guid tenant = record.TenantId ?? az.TenantId;
        VaultsClient vaults = az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId);
        VaultProperties vault = await AzureFailures.RefuseNonTransientAsync(() => vaults.GetAsync(record.ResourceGroup,
            vaultName, ct));
        if (vault.EnableRbacAuthorization)
        {
            await VaultRoleGrants.GrantServiceAsync(az, vault.Id, ct);
            await VaultRoleGrants.GrantDeviceAsync(az, vault.Id, principal, ct);
            Logs.AccessGranted(logger, principal, record.Name, vaultName);
            return principal.ToString();
        }

        VaultAccessPolicy? entry = vault.AccessPolicies.FirstOrDefault(p => string.Equals(p.ObjectId,
            principal.ToString(), StringComparison.OrdinalIgnoreCase));
        if (entry is null || !IdentityVaultGrant.IsExactlyGetSet(entry))
        {
            var wanted = new VaultAccessPolicy(tenant, principal.ToString(), IdentitySecretPermissions, [], [], []);
            await AzureFailures.RefuseNonTransientAsync(() =>
                vaults.UpdateAccessPoliciesAsync(record.ResourceGroup, vaultName,
                    entry is null ? AccessPolicyUpdateKind.Add : AccessPolicyUpdateKind.Replace, [wanted], ct));
        }

        Logs.AccessGranted(logger, principal, record.Name, vaultName);
        return principal.ToString();
    }
}
