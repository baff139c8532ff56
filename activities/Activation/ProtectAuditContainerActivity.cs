using EdgeKv.Azure.Monitoring;
using EdgeKv.Tasks;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 7, after creation: a time-based retention policy on the audit container, so audit blobs cannot be changed or
/// deleted for the configured days. The container is created here if Azure Monitor has not yet written to it: Azure
/// sets such a policy per existing container, and a policy set before the first log is written covers every log. The
/// policy allows protected append writes, which Azure Monitor's hourly append blobs need. Idempotent: setting the same
/// days again is a no-op, and a changed setting replaces the period (the policy stays unlocked, so EdgeKv can still
/// change or remove it).
/// </summary>
[DurableTask(Name)]
public sealed class ProtectAuditContainerActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<AuditStorageSettings> settings)
    : TaskActivity<ResourceStep, int>
{
    public const string Name = "ProtectAuditContainer";

    public override async Task<int> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        int days = settings.Value.ImmutabilityDays;
        if (days <= 0)
        {
            return 0;
        }

        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string name = AuditStorageNames.For(record.VaultId ?? throw new ActivationRefusedException("VaultNotProvisioned", $"Resource '{record.Name}' has no vault yet."));
        var accounts = az.Factory.GetStorageAccountsClient(subscriptionId: record.SubscriptionId);
        var policy = await AzureFailures.RefuseNonTransientAsync(() =>
            accounts.SetContainerImmutabilityAsync(record.ResourceGroup, name, AuditLogsClient.Container, days, ct));
        return policy.Days;
    }
}
