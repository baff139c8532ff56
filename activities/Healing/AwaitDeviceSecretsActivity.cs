using EdgeKv.Activities.Activation;
using EdgeKv.Records;
using EdgeKv.Tasks;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// A vault recovery's wait for the device ended. Unless the device answered in the meantime (no sync request is pending
/// any more), the request stays pending and the record says the recovery awaits the device's secrets, so that the
/// device's later answer (or a later sync's) still completes the healing. Returns true when the device had answered.
/// </summary>
[DurableTask(Name)]
public sealed class AwaitDeviceSecretsActivity(ResourceStore store) : TaskActivity<DeviceSyncRequest, bool>
{
    public const string Name = "AwaitDeviceSecrets";

    public override async Task<bool> RunAsync(TaskActivityContext context, DeviceSyncRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool answered = false;
        await store.RequireAsync(input.ResourceName, context.CancellationToken);
        await store.UpdateAsync(input.ResourceName, r =>
        {
            // The device's answer clears the pending request; another flow's request (a sync) may have replaced ours.
            answered = r.PendingSyncRequestId is null;
            return answered ? r : r with { RecoveryAwaitingDeviceRequestId = input.RequestId };
        }, context.CancellationToken);
        return answered;
    }
}
