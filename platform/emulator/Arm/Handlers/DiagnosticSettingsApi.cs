using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Microsoft.Insights/diagnosticSettings on a resource: create or update, get, list, delete. 2017-05-01-preview (still
/// sent by the monitor SDKs of 2024) has no category groups: a log entry needs its <c>category</c> and answers none.
/// </summary>
internal sealed class DiagnosticSettingsApi(ArmServices services) : IArmRouteSource
{
    private const string Type = "Microsoft.Insights/diagnosticSettings";
    private static readonly string[] VaultCategories = ["AuditEvent", "AzurePolicyEvaluationDetails"];
    private static readonly string[] CategoryGroups = ["audit", "allLogs"];

    /// <summary>The first version whose log settings have <c>categoryGroup</c>.</summary>
    private const string CategoryGroupsSince = "2021-05-01-preview";

    public IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForExtensionResource(Type, respectsLocks: true, ListAsync, GetAsync, PutAsync, DeleteAsync);

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.List((await services.Resources.ListInCollectionAsync(Type, request["scope"], request.Path,
            cancellationToken)).Select(doc => ForVersion(doc, request.ApiVersion)));

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync(request.Path, cancellationToken) is { } found
            ? ArmResponse.Ok(ForVersion(found, request.ApiVersion))
            : throw new ArmErrorException(404, "ResourceNotFound", $"The diagnostic setting '{request["name"]}' doesn't exist.");

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var body = await request.ReadBodyAsync(cancellationToken);
        var properties = JsonBody.Object(body,
            "properties") ?? throw ArmErrors.BadRequest("The parameter 'properties' is required.");
        var storageAccountId = JsonBody.String(properties, "storageAccountId");
        var workspaceId = JsonBody.String(properties, "workspaceId");
        var eventHubRule = JsonBody.String(properties, "eventHubAuthorizationRuleId");
        if (storageAccountId is null && workspaceId is null && eventHubRule is null)
        {
            throw ArmErrors.BadRequest("At least one of the following properties must be set: storageAccountId, workspaceId, eventHubAuthorizationRuleId.");
        }

        if (storageAccountId is not null && await services.Resources.GetAsync(storageAccountId,
            cancellationToken) is null)
        {
            throw new ArmErrorException(400, "LinkedInvalidPropertyId",
                $"Property id '{storageAccountId}' at path 'properties.storageAccountId' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{{subscriptionId}}' or '/providers/{{resourceProviderNamespace}}/'.");
        }

        var isVault = request["scope"].Contains("/providers/Microsoft.KeyVault/vaults/",
            StringComparison.OrdinalIgnoreCase);
        var logs = new JsonArray();
        foreach (var node in JsonBody.Array(properties, "logs") ?? [])
        {
            var entry = node as JsonObject ?? throw ArmErrors.InvalidRequestContent("Each log setting must be an object");
            var category = JsonBody.String(entry, "category");
            var group = JsonBody.String(entry, "categoryGroup");
            if (group is not null && !ProviderCatalog.IsAtLeast(request.ApiVersion, CategoryGroupsSince))
            {
                throw ArmErrors.BadRequest($"The property 'categoryGroup' is not supported in api-version '{request.ApiVersion}'.");
            }

            if ((category is null) == (group is null))
            {
                throw ArmErrors.BadRequest("Each log setting must have exactly one of 'category' or 'categoryGroup'.");
            }

            if (category is not null && isVault && !VaultCategories.Contains(category,
                StringComparer.OrdinalIgnoreCase))
            {
                throw ArmErrors.BadRequest($"Category '{category}' is not supported.");
            }

            if (group is not null && !CategoryGroups.Contains(group, StringComparer.OrdinalIgnoreCase))
            {
                throw ArmErrors.BadRequest($"Category group '{group}' is not supported.");
            }

            logs.Add(new JsonObject
            {
                ["category"] = category,
                ["categoryGroup"] = group,
                ["enabled"] = JsonBody.Bool(entry,
                    "enabled") ?? throw ArmErrors.BadRequest("Each log setting must have 'enabled'."),
                ["retentionPolicy"] = new JsonObject { ["enabled"] = false, ["days"] = 0 },
            });
        }

        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var setting = new JsonObject
        {
            ["id"] = request.Path,
            ["name"] = request["name"],
            ["type"] = Type,
            ["properties"] = new JsonObject
            {
                ["storageAccountId"] = storageAccountId,
                ["workspaceId"] = workspaceId,
                ["eventHubAuthorizationRuleId"] = eventHubRule,
                ["logs"] = logs,
                ["metrics"] = new JsonArray(),
            },
        };
        await services.Resources.PutAsync(setting, cancellationToken);
        return ArmResponse.Ok(ForVersion(setting, request.ApiVersion));
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await services.Resources.GetAsync(request.Path, cancellationToken) is null)
        {
            return ArmResponse.NoContent();
        }

        await services.Resources.DeleteTreeAsync(request.Path, cancellationToken);
        return new ArmResponse(200);
    }

    /// <summary>
    /// The setting in the shape of <paramref name="apiVersion"/>: no <c>categoryGroup</c> before 2021-05-01-preview.
    /// </summary>
    private static JsonObject ForVersion(JsonObject setting, string apiVersion)
    {
        if (ProviderCatalog.IsAtLeast(apiVersion, CategoryGroupsSince))
        {
            return setting;
        }

        var copy = setting.DeepClone().AsObject();
        foreach (var log in copy["properties"]?["logs"]?.AsArray() ?? [])
        {
            (log as JsonObject)?.Remove("categoryGroup");
        }

        return copy;
    }
}
