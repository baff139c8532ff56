using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 5: the resource's system-assigned identity is enabled (a PATCH that changes nothing when it already is);
/// records its principal id.
/// </summary>
[DurableTask(Name)]
public sealed class EnableIdentityActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<EnableIdentityActivity> logger) : TaskActivity<ResourceStep, Guid>
{
    public const string Name = "EnableIdentity";

    public override async Task<Guid> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        var devices = az.Factory.GetEdgeDevicesClient(subscriptionId: record.SubscriptionId);
        var device = await AzureFailures.RefuseNonTransientAsync(() => devices.GetAsync(record.ResourceGroup,
            record.Name, ct));
        if (device.PrincipalId is null)
        {
            device = await AzureFailures.RefuseNonTransientAsync(() => devices.SetIdentityEnabledAsync(record.ResourceGroup, record.Name, true, ct));
        }

        Guid principal = device.PrincipalId ?? throw new ActivationRefusedException("SystemAssignedIdentityMissing",
            $"Resource '{record.Name}' has no system-assigned identity.");
        await store.UpdateAsync(record.Name, r => r with { PrincipalId = principal, TenantId = device.TenantId }, ct);
        Logs.IdentityEnabled(logger, record.Name, principal);
        return principal;
    }
}
