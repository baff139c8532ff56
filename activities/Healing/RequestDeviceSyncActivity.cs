using EdgeKv.Activities.Activation;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// Asks the device to push its secrets: records the sync request on the resource, where the device agent finds it by
/// polling <c>GET /api/device/{name}/syncRequest</c>. A null request id clears it (the device did not answer in time).
/// </summary>
[DurableTask(Name)]
public sealed class RequestDeviceSyncActivity(ResourceStore store) : TaskActivity<DeviceSyncRequest, bool>
{
    public const string Name = "RequestDeviceSync";

    public override async Task<bool> RunAsync(TaskActivityContext context, DeviceSyncRequest input)
    {
        await store.RequireAsync(input.ResourceName, context.CancellationToken);
        await store.UpdateAsync(input.ResourceName, r => input.RequestId is null
            ? (r.PendingSyncInstanceId == input.InstanceId ? r with { PendingSyncRequestId = null,
                PendingSyncInstanceId = null } : r)
            : r with { PendingSyncRequestId = input.RequestId, PendingSyncInstanceId = input.InstanceId },
                context.CancellationToken);
        return true;
    }
}

public sealed record DeviceSyncRequest(string ResourceName, string? RequestId, string InstanceId);

/// <summary>
/// What the device pushed (names and versions, never values): raised to the waiting orchestration as <see
/// cref="EventName"/>.
/// </summary>
public sealed record DeviceSyncResult(string RequestId, IReadOnlyList<string> Secrets)
{
    public const string EventName = "DeviceSecretsPushed";
}
