using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Steps 4 and 7: a CanNotDelete lock on a scope (the vault, the audit storage account). PUT is idempotent.
/// </summary>
[DurableTask(Name)]
public sealed class LockResourceActivity(AzureContextProvider azure,
    ILogger<LockResourceActivity> logger) : TaskActivity<LockRequest, string>
{
    public const string Name = "LockResource";

    public override async Task<string> RunAsync(TaskActivityContext context, LockRequest input)
    {
        AzureContext az = await azure.GetAsync(context.CancellationToken);
        var created = await AzureFailures.RefuseNonTransientAsync(() =>
            az.Factory.GetManagementLocksClient().CreateOrUpdateAsync(input.Scope, input.LockName, "CanNotDelete",
                input.Notes, context.CancellationToken));
        Logs.Locked(logger, input.LockName, input.Scope);
        return created.Id;
    }
}
