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
public static partial class HealingApi
{
    public static void MapHealingApi(this WebApplication app)
    {
        app.MapPost("/api/resources/{name}/recoverIdentityAccess", (string name, HttpRequest request, ResourceStore store, DurableTaskClient client, ILogger<ResourceStore> logger, CancellationToken ct) =>
            StartAsync(name, request, store, client, logger, RecoverIdentityAccessOrchestrator.Name, RecoverIdentityAccessOrchestrator.InstanceIdFor(name), _ => name, ct)).RequireEdgeKvPermission(Permission.RecoveryManage).WithTags("Healing");
        app.MapPost("/api/resources/{name}/recoverVault", RecoverVaultAsync).RequireEdgeKvPermission(Permission.RecoveryManage).WithTags("Healing");
        app.MapPost("/api/resources/{name}/syncDeviceSecrets", (string name, HttpRequest request, ResourceStore store, DurableTaskClient client, IOptions<HealthSettings> settings,
            ILogger<ResourceStore> logger, CancellationToken ct) =>
            StartAsync(name, request, store, client, logger, SyncDeviceSecretsOrchestrator.Name, SyncDeviceSecretsOrchestrator.InstanceIdFor(name),
                r => new SyncDeviceSecretsRequest(r.Name, settings.Value.DeviceSyncTimeout), ct)).RequireEdgeKvPermission(Permission.RecoveryManage).WithTags("Healing");
    }

    private static async Task<IResult> RecoverVaultAsync(string name, HttpRequest request, ResourceStore store, AzureContextProvider azure, DurableTaskClient client,
        IOptions<HealthSettings> health, IOptions<ActivationSettings> activation, ILogger<ResourceStore> logger, CancellationToken ct)
    {
        RecoverVaultBody? body;
        try
        {
            body = request.ContentLength is > 0 || request.Headers.ContentType.Count > 0 ? await request.ReadFromJsonAsync<RecoverVaultBody>(ct) : null;
        }
        catch (System.Text.Json.JsonException ex)
        {
            return AzureError.BadRequest("InvalidRequestContent", $"The request body is not valid JSON: {ex.Message}");
        }

        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesApi.NotFound(name);
        if (record.VaultName is null) return AzureError.Conflict("VaultNotProvisioned", $"Resource '{name}' has no vault yet; generate its activation key first.");
        string instanceId = RecoverVaultOrchestrator.InstanceIdFor(name);
        if (await client.GetInstanceAsync(instanceId, cancellation: ct) is { IsRunning: true }) return HttpManagementPayload.CheckStatusResponse(request, instanceId);

        AzureContext az = await azure.GetAsync(ct);
        VaultsClient vaults = az.Factory.GetVaultsClient();
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
                await VaultNames.EnsureUsableAsync(vaults, record.ResourceGroup, body.NewVaultName, record.ResourceId, ct);
            }
            catch (ActivationRefusedException refused)
            {
                return ActivationApi.Refusal(refused.Code, refused.Reason);
            }

            newName = body.NewVaultName;
        }

        ActivationSettings a = activation.Value;
        return await StartInstanceAsync(request, client, logger, RecoverVaultOrchestrator.Name, instanceId,
            new RecoverVaultRequest(record.Name, newName, a.StoragePollInterval, a.StorageTimeout, health.Value.DeviceSyncTimeout), ct);
    }

    internal static async Task<IResult> StartAsync(string name, HttpRequest request, ResourceStore store, DurableTaskClient client, ILogger logger,
        string orchestrator, string instanceId, Func<ResourceRecord, object> input, CancellationToken ct)
    {
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesApi.NotFound(name);
        if (record.VaultName is null) return AzureError.Conflict("VaultNotProvisioned", $"Resource '{name}' has no vault yet; generate its activation key first.");
        return await StartInstanceAsync(request, client, logger, orchestrator, instanceId, input(record), ct);
    }

    internal static async Task<IResult> StartInstanceAsync(HttpRequest request, DurableTaskClient client, ILogger logger, string orchestrator, string instanceId, object input,
        CancellationToken ct)
    {
        if (await client.GetInstanceAsync(instanceId, cancellation: ct) is not { IsRunning: true })
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId), ct);
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

/// <summary>Body of <c>POST .../recoverVault</c>: the new vault name, required only when the vault was purged.</summary>
public sealed record RecoverVaultBody(string? NewVaultName = null);
