using System.Text.Json.Nodes;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// The events the emulator raises: Resource Manager's <c>Microsoft.Resources.ResourceWriteSuccess</c> and
/// <c>ResourceDeleteSuccess</c> (real requests and admin out-of-band damage alike) and Key Vault's
/// <c>Microsoft.KeyVault.VaultAccessPolicyChanged</c>.
/// </summary>
internal sealed class ResourceEvents(EventGridPublisher publisher, EmulatorClock clock, EmulatorSettings settings)
{
    public const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    public const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";
    public const string VaultAccessPolicyChanged = "Microsoft.KeyVault.VaultAccessPolicyChanged";

    public Task ResourceWrittenAsync(string resourceId, string operationName, CallerIdentity? caller, string method,
        string url, string correlationId,
        CancellationToken cancellationToken) =>
        PublishResourceAsync(WriteSuccess, resourceId, operationName, caller, method, url, correlationId,
            cancellationToken);

    public Task ResourceDeletedAsync(string resourceId, string operationName, CallerIdentity? caller, string method,
        string url, string correlationId,
        CancellationToken cancellationToken) =>
        PublishResourceAsync(DeleteSuccess, resourceId, operationName, caller, method, url, correlationId,
            cancellationToken);

    public Task AccessPolicyChangedAsync(JsonObject vault, CancellationToken cancellationToken)
    {
        var name = (string)vault["name"]!;
        var data = new JsonObject
        {
            ["Id"] = (string?)vault["properties"]?["vaultUri"],
            ["VaultName"] = name,
            ["ObjectType"] = "Vault",
            ["ObjectName"] = name,
            ["Version"] = null,
            ["NBF"] = null,
            ["EXP"] = null,
        };
        var id = (string)vault["id"]!;
        return publisher.PublishAsync(new EmulatorEvent(Guid.NewGuid().ToString(), VaultAccessPolicyChanged, name,
            clock.GetUtcNow(), data, id, id, "1"), cancellationToken);
    }

    private Task PublishResourceAsync(string type, string resourceId, string operationName, CallerIdentity? caller,
        string method, string url, string correlationId,
        CancellationToken cancellationToken)
    {
        var slash = operationName.IndexOf('/', StringComparison.Ordinal);
        var data = new JsonObject
        {
            ["authorization"] = new JsonObject { ["scope"] = resourceId, ["action"] = operationName,
                ["evidence"] = new JsonObject { ["role"] = "Emulator" } },
            ["claims"] = new JsonObject
            {
                ["http://schemas.microsoft.com/identity/claims/objectidentifier"] = caller?.ObjectId.ToString() ?? "emulator-admin",
                ["appid"] = caller?.AppId ?? "emulator-admin",
            },
            ["correlationId"] = correlationId,
            ["httpRequest"] = new JsonObject { ["clientRequestId"] = correlationId, ["clientIpAddress"] = "127.0.0.1",
                ["method"] = method, ["url"] = url },
            ["resourceProvider"] = slash > 0 ? operationName[..slash] : operationName,
            ["resourceUri"] = resourceId,
            ["operationName"] = operationName,
            ["status"] = "Succeeded",
            ["subscriptionId"] = ScopePath.SubscriptionOf(resourceId) ?? settings.SubscriptionId,
            ["tenantId"] = settings.TenantId.ToString(),
        };
        return publisher.PublishAsync(new EmulatorEvent(Guid.NewGuid().ToString(), type, resourceId, clock.GetUtcNow(),
            data, resourceId, null), cancellationToken);
    }
}
