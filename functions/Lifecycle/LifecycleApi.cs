using EdgeKv.Functions.Security;
using EdgeKv.Activities.Lifecycle;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Functions.Activation;
using EdgeKv.Functions.Device;
using EdgeKv.Functions.Healing;
using EdgeKv.Functions.Http;
using EdgeKv.Functions.Resources;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Lifecycle;

/// <summary>
/// <c>POST /api/resources/{name}/activationKey/regenerate</c> (202 + check-status, and a new one-time fetch token in
/// <c>x-edgekv-activation-key-token</c>, as activation gives; no vault is touched) and
/// <c>DELETE /api/resources/{name}?confirm={name}&amp;deleteVault=Yes|No</c> (202 + check-status).
/// </summary>
public static class LifecycleApi
{
    public static void MapLifecycleApi(this WebApplication app)
    {
        app.MapPost("/api/resources/{name}/activationKey/regenerate", RegenerateAsync).RequireEdgeKvPermission(Permission.ActivationManage).WithTags("Activation");
        app.MapDelete("/api/resources/{name}", DeleteAsync).RequireEdgeKvPermission(Permission.ResourcesDelete).WithTags("Resources");
    }

    private static async Task<IResult> RegenerateAsync(string name, HttpRequest request, ResourceStore store, DurableTaskClient client, IOptions<ActivationSettings> settings,
        ILogger<ResourceStore> logger, CancellationToken ct)
    {
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesApi.NotFound(name);
        if (record.ActivationState != ActivationState.KeyIssued)
        {
            return AzureError.Conflict("ActivationKeyNotIssued", $"'{name}' has no activation key to regenerate; generate one with POST .../activationKey.");
        }

        string fetchToken = DeviceCredentials.Create();
        await store.UpdateAsync(name, r => r with { ActivationKeyFetchTokenHash = DeviceCredentials.Hash(fetchToken) }, ct);
        string endpoint = (settings.Value.PublicEndpoint?.ToString() ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
        IResult result = await HealingApi.StartInstanceAsync(request, client, logger, RegenerateActivationKeyOrchestrator.Name,
            RegenerateActivationKeyOrchestrator.InstanceIdFor(name), new RegenerateKeyRequest(record.Name, settings.Value.KeyValidity, endpoint), ct);
        request.HttpContext.Response.Headers[ActivationApi.FetchTokenHeader] = fetchToken;
        return result;
    }

    private static async Task<IResult> DeleteAsync(string name, string? confirm, string? deleteVault, HttpRequest request, ResourceStore store, DurableTaskClient client,
        ILogger<ResourceStore> logger, CancellationToken ct)
    {
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesApi.NotFound(name);
        if (!string.Equals(confirm, record.Name, StringComparison.Ordinal))
        {
            return AzureError.BadRequest("ConfirmationMismatch", $"Type the resource's name to delete it: ?confirm={record.Name}.");
        }

        bool? withVault = deleteVault switch { "Yes" => true, "No" => false, _ => null };
        if (withVault is null) return AzureError.BadRequest("DeleteVaultConsentRequired", "Say whether the key vault goes too: deleteVault=Yes or deleteVault=No.");
        return await HealingApi.StartInstanceAsync(request, client, logger, DeleteResourceOrchestrator.Name, DeleteResourceOrchestrator.InstanceIdFor(name),
            new DeleteResourceRequest(record.Name, record.ResourceId, record.ResourceGroup, withVault.Value, record.VaultId, record.VaultName, record.AuditStorageAccountId), ct);
    }
}
