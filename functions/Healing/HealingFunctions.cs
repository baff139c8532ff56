using EdgeKv.Functions.Security;
using EdgeKv.Activities;
using EdgeKv.Activities.Activation;
using EdgeKv.Activities.Healing;
using EdgeKv.Azure.Vaults;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Functions.Activation;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.DurableHttp;
using EdgeKv.Functions.Resources;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using EdgeKv.Functions.Health;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Healing;

/// <summary>
/// The healing starters, each 202 + check-status with an instance id derived from the resource (a second request while
/// one runs joins it): <c>POST /api/resources/{name}/recoverIdentityAccess</c>, <c>.../recoverVault</c>,
/// <c>.../syncDeviceSecrets</c>.
/// </summary>
public sealed partial class HealingFunctions(
    ResourceStore store, AzureContextProvider azure, IOptions<HealthSettings> health,
    IOptions<ActivationSettings> activation, ILogger<HealingFunctions> logger)
{
    [Function("StartIdentityAccessRecovery"), RequiresPermission(Permission.RecoveryManage, ActionScope.Resource)]
    public Task<IResult> RecoverIdentityAccessAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/recoverIdentityAccess")] HttpRequest request,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
        => StartAsync(name, request, store, client, logger, RecoverIdentityAccessOrchestrator.Name,
            RecoverIdentityAccessOrchestrator.InstanceIdFor(name), _ => name, ct);

    [Function("StartDeviceSecretsSync"), RequiresPermission(Permission.RecoveryManage, ActionScope.Resource)]
    public Task<IResult> SyncDeviceSecretsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/syncDeviceSecrets")] HttpRequest request,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
        => StartAsync(name, request, store, client, logger, SyncDeviceSecretsOrchestrator.Name,
            SyncDeviceSecretsOrchestrator.InstanceIdFor(name),
            r => new SyncDeviceSecretsRequest(r.Name, health.Value.DeviceSyncTimeout), ct);

    [Function("StartVaultRecovery"), RequiresPermission(Permission.RecoveryManage, ActionScope.Resource)]
    public async Task<IResult> RecoverVaultAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/recoverVault")] HttpRequest request,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        BodyResult<RecoverVaultBody> read = await JsonBody.ReadOptionalAsync<RecoverVaultBody>(request, ct);
        if (read.Error is not null) return read.Error;
        RecoverVaultBody? body = read.Value;
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultName is null) return AzureError.Conflict("VaultNotProvisioned",
            $"Resource '{name}' has no vault yet; generate its activation key first.");
        string instanceId = RecoverVaultOrchestrator.InstanceIdFor(name);
        if (await client.GetInstanceAsync(instanceId,
            cancellation: ct) is { IsRunning: true }) return HttpManagementPayload.CheckStatusResponse(request,
                instanceId);

        AzureContext az = await azure.GetAsync(ct);
        VaultsClient vaults = az.Factory.GetVaultsClient(subscriptionId: record.SubscriptionId);
        VaultCondition condition = await VaultCondition.InspectAsync(vaults, record, ct);
        string? newName = null;
        if (condition.State == VaultState.Gone)
        {
            if (string.IsNullOrWhiteSpace(body?.NewVaultName))
            {
                return AzureError.BadRequest("NewVaultNameRequired",
                    $"Vault '{record.VaultName}' was purged (or its retention has passed, or it cannot be reached) and its name may still be held: give a new vault name in 'newVaultName'.");
            }

            try
            {
                await VaultNames.EnsureUsableAsync(vaults, record.ResourceGroup, body.NewVaultName, record.ResourceId,
                    ct);
            }
            catch (ActivationRefusedException refused)
            {
                return ActivationFunctions.Refusal(refused.Code, refused.Reason);
            }

            newName = body.NewVaultName;
        }

        ActivationSettings a = activation.Value;
        return await StartInstanceAsync(request, client, logger, RecoverVaultOrchestrator.Name, instanceId,
            new RecoverVaultRequest(record.Name, newName, a.StoragePollInterval, a.StorageTimeout,
                health.Value.DeviceSyncTimeout), ct);
    }

    private static async Task<IResult> StartAsync(string name, HttpRequest request, ResourceStore store,
        DurableTaskClient client, ILogger logger,
        string orchestrator, string instanceId, Func<ResourceRecord, object> input, CancellationToken ct)
    {
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.VaultName is null) return AzureError.Conflict("VaultNotProvisioned",
            $"Resource '{name}' has no vault yet; generate its activation key first.");
        return await StartInstanceAsync(request, client, logger, orchestrator, instanceId, input(record), ct);
    }

    /// <summary>
    /// Starts the instance unless it runs already (then joins it), and answers 202 with the check-status payload.
    /// </summary>
    internal static async Task<IResult> StartInstanceAsync(HttpRequest request, DurableTaskClient client,
        ILogger logger, string orchestrator, string instanceId, object input,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(instanceId, cancellation: ct) is not { IsRunning: true })
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
                    new StartOrchestrationOptions(instanceId), ct);
                LogStarted(logger, orchestrator, instanceId);
            }
            catch (OrchestrationAlreadyExistsException)
            {
                // Started a moment ago by another request: the same instance answers both.
            }
        }

        return HttpManagementPayload.CheckStatusResponse(request, instanceId);
    }

    [LoggerMessage(2221, LogLevel.Information, "{Orchestrator} started as {InstanceId}.")]
    private static partial void LogStarted(ILogger logger, string orchestrator, string instanceId);
}

/// <summary>
/// Body of <c>POST .../recoverVault</c>: the new vault name, required only when the vault was purged.
/// </summary>
public sealed record RecoverVaultBody(string? NewVaultName = null);
