using Azure;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Lifecycle;

/// <summary>
/// Removes every management lock on a scope (before deleting it, or to leave it unlocked for its other users); none
/// left, nothing to do.
/// </summary>
[DurableTask(Name)]
public sealed class DeleteLocksActivity(AzureContextProvider azure,
    ILogger<DeleteLocksActivity> logger) : TaskActivity<ScopeRequest, int>
{
    public const string Name = "DeleteLocks";

    public override async Task<int> RunAsync(TaskActivityContext context, ScopeRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        var locks = (await azure.GetAsync(ct)).Factory.GetManagementLocksClient();
        IReadOnlyList<Azure.Locks.ResourceLock> present;
        try
        {
            present = await locks.ListAsync(input.ResourceId, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        foreach (var l in present)
        {
            await AzureFailures.RefuseNonTransientAsync(async () => { await locks.DeleteAsync(input.ResourceId, l.Name,
                ct); return true; });
            Logs.Unlocked(logger, l.Name, input.ResourceId);
        }

        return present.Count;
    }
}
