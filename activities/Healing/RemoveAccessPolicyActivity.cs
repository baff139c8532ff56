using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;
using EdgeKv.Tasks;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// Heals access-policy drift for one principal: an entry EdgeKv never granted is removed; EdgeKv's own entry or the
/// identity's, widened out of band, is replaced with exactly what EdgeKv grants. Idempotent (a gone entry is left
/// gone). Then reviews the vault again and answers how many entries still drift.
/// </summary>
[DurableTask(Name)]
public sealed class RemoveAccessPolicyActivity(AzureContextProvider azure, ResourceStore store,
    AccessPolicyDriftCheck drift, ILogger<RemoveAccessPolicyActivity> logger)
    : TaskActivity<AccessPolicyRemovalRequest, AccessPolicyRemovalResult>
{
    public const string Name = "RemoveAccessPolicyEntry";

    public override async Task<AccessPolicyRemovalResult> RunAsync(TaskActivityContext context,
        AccessPolicyRemovalRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string vaultName = record.RequireVault();
        VaultsClient vaults = az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId);
        VaultProperties vault = await AzureFailures.RefuseNonTransientAsync(() => vaults.GetAsync(record.ResourceGroup,
            vaultName, ct));
        VaultAccessPolicy? entry = vault.AccessPolicies.FirstOrDefault(p => string.Equals(p.ObjectId, input.ObjectId,
            StringComparison.OrdinalIgnoreCase));
        string action = "AlreadyGone";
        if (entry is not null)
        {
            bool isService = string.Equals(entry.ObjectId, az.ServiceObjectId.ToString(),
                StringComparison.OrdinalIgnoreCase);
            bool isIdentity = record.PrincipalId is { } identity && string.Equals(entry.ObjectId, identity.ToString(),
                StringComparison.OrdinalIgnoreCase);
            if (isService || isIdentity)
            {
                var granted = new VaultAccessPolicy(entry.TenantId, entry.ObjectId,
                    AccessPolicyDrift.GrantedSecrets(isService, isIdentity), [], [], []);
                await AzureFailures.RefuseNonTransientAsync(() => vaults.UpdateAccessPoliciesAsync(record.ResourceGroup,
                    vaultName, AccessPolicyUpdateKind.Replace, [granted], ct));
                action = "Reset";
            }
            else
            {
                await AzureFailures.RefuseNonTransientAsync(() => vaults.UpdateAccessPoliciesAsync(record.ResourceGroup,
                    vaultName, AccessPolicyUpdateKind.Remove, [entry], ct));
                action = "Removed";
            }

            vault = await AzureFailures.RefuseNonTransientAsync(() => vaults.GetAsync(record.ResourceGroup, vaultName,
                ct));
        }

        int stillFlagged = (await drift.ReviewAsync(az.ServiceObjectId, record, vault, ct)).Count(f => f.Flagged);
        Logs.AccessPolicyHealed(logger, input.ObjectId, record.Name, vaultName, action, stillFlagged);
        return new AccessPolicyRemovalResult(action, stillFlagged);
    }
}
