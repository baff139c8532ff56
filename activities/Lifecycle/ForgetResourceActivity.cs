using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using EdgeKv.Records.AccessPolicies;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Lifecycle;

/// <summary>
/// The last step of deletion: EdgeKv's record goes, the resource's active alerts are resolved and its accepted access
/// policies forgotten.
/// </summary>
[DurableTask(Name)]
public sealed class ForgetResourceActivity(ResourceStore store, AlertStore alerts,
    AcceptedAccessPolicyStore acceptedPolicies) : TaskActivity<string, bool>
{
    public const string Name = "ForgetResource";

    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        await alerts.ResolveAsync(input, Enum.GetValues<AlertKind>(), context.CancellationToken);
        await acceptedPolicies.ForgetAsync(input, context.CancellationToken);
        return await store.DeleteAsync(input, context.CancellationToken);
    }
}
