using EdgeKv.Functions.Healing;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Functions.Security;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Device;

/// <summary>
/// <c>POST /api/resources/{name}/rotateChannelIntegrityKey</c>: rotates the resource's CIK now (202 + check-status; a
/// rotation already running for it is joined). The same flow runs on a schedule (<see cref="CikRotationScheduler"/>).
/// Key management: the security team's.
/// </summary>
public sealed partial class ChannelIntegrityKeyRotationFunctions(ResourceStore store, IOptions<HealthSettings> health,
    ILogger<ChannelIntegrityKeyRotationFunctions> logger)
{
    [Function("StartChannelIntegrityKeyRotation"), RequiresPermission(Permission.KeysManage, ActionScope.Resource)]
    public async Task<IResult> StartAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/rotateChannelIntegrityKey")] HttpRequest request,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultUri is null || record.CikSecretVersion is null)
        {
            return AzureError.Conflict("VaultNotProvisioned",
                $"Resource '{name}' has no vault or CIK yet; generate its activation key first.");
        }

        return await HealingFunctions.StartInstanceAsync(request, client, logger,
            RotateChannelIntegrityKeyOrchestrator.Name,
            RotateChannelIntegrityKeyOrchestrator.InstanceIdFor(record.Name),
            new RotateCikRequest(record.Name, health.Value.DeviceSyncTimeout, "request"), ct);
    }
}
