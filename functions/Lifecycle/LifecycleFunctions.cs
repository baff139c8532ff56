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
public sealed class LifecycleFunctions(ResourceStore store, IOptions<ActivationSettings> settings,
    ILogger<LifecycleFunctions> logger)
{
    [Function("StartActivationKeyRegeneration"), RequiresPermission(Permission.ActivationManage, ActionScope.Resource)]
    public async Task<IResult> RegenerateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post",
        Route = "resources/{name}/activationKey/regenerate")] HttpRequest request,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (record.ActivationState != ActivationState.KeyIssued)
        {
            return AzureError.Conflict("ActivationKeyNotIssued",
                $"'{name}' has no activation key to regenerate; generate one with POST .../activationKey.");
        }

        string fetchToken = DeviceCredentials.Create();
        await store.UpdateAsync(name, r => r with { ActivationKeyFetchTokenHash = DeviceCredentials.Hash(fetchToken) },
            ct);
        string endpoint = (settings.Value.PublicEndpoint?.ToString() ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
        IResult result = await HealingFunctions.StartInstanceAsync(request, client, logger,
            RegenerateActivationKeyOrchestrator.Name,
            RegenerateActivationKeyOrchestrator.InstanceIdFor(name),
            new RegenerateKeyRequest(record.Name, settings.Value.KeyValidity, endpoint), ct);
        request.HttpContext.Response.Headers[ActivationFunctions.FetchTokenHeader] = fetchToken;
        return result;
    }

    [Function("StartResourceDeletion"), RequiresPermission(Permission.ResourcesDelete, ActionScope.Resource)]
    public async Task<IResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete",
        Route = "resources/{name}")] HttpRequest request,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        string? confirm = QueryValues.Text(request, "confirm");
        string? deleteVault = QueryValues.Text(request, "deleteVault");
        ResourceRecord? record = await store.GetAsync(name, ct);
        if (record is null) return ResourcesFunctions.NotFound(name);
        if (!string.Equals(confirm, record.Name, StringComparison.Ordinal))
        {
            return AzureError.BadRequest("ConfirmationMismatch",
                $"Type the resource's name to delete it: ?confirm={record.Name}.");
        }

        bool? withVault = deleteVault switch { "Yes" => true, "No" => false, _ => null };
        if (withVault is null) return AzureError.BadRequest("DeleteVaultConsentRequired",
            "Say whether the key vault goes too: deleteVault=Yes or deleteVault=No.");
        return await HealingFunctions.StartInstanceAsync(request, client, logger, DeleteResourceOrchestrator.Name,
            DeleteResourceOrchestrator.InstanceIdFor(name),
            new DeleteResourceRequest(record.Name, record.ResourceId, record.ResourceGroup, withVault.Value,
                record.VaultId, record.VaultName, record.AuditStorageAccountId), ct);
    }
}
