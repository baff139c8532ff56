using EdgeKv.Durable;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 2: the vault name, the caller's or the default one derived from the resource; refused at once when invalid,
/// in use by anything else, or held by a soft-deleted vault. The resource's own vault (a re-run) is accepted.
/// </summary>
[DurableTask(Name)]
public sealed class ResolveVaultNameActivity(AzureContextProvider azure, ResourceStore store) : TaskActivity<ResourceStep, string>
{
    public const string Name = "ResolveVaultName";

    public override async Task<string> RunAsync(TaskActivityContext context, ResourceStep input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string name = input.VaultName ?? record.VaultName ?? VaultNames.DefaultFor(record.Name, record.ResourceId);
        await VaultNames.EnsureUsableAsync(az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId), record.ResourceGroup, name, record.ResourceId, ct);
        await store.UpdateAsync(record.Name, r => r with { VaultName = name }, ct);
        return name;
    }
}
