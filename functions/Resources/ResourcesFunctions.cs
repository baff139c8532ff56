using Azure;
using Azure.Core;
using EdgeKv.Activities;
using EdgeKv.Azure.Edge;
using EdgeKv.Functions.Http;
using EdgeKv.Records;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Validation;

namespace EdgeKv.Functions.Resources;

/// <summary>
/// The Azure Stack Edge resources EdgeKv manages: <c>PUT /api/resources/{name}</c> creates the resource (with its
/// system-assigned identity) in the configured subscription and resource group, or adopts an existing one by resource
/// id, in any subscription and resource group EdgeKv's identity may read (marked as from before vault integration until
/// it is activated; its vault then goes beside it); <c>GET</c> lists and reads EdgeKv's records.
/// </summary>
public sealed partial class ResourcesFunctions(ResourceStore store, EdgeKvAuthorizer authorizer,
    AzureContextProvider azure, ILogger<ResourcesFunctions> logger)
{
    /// <summary>
    /// A page of the resources the caller may read (service-wide roles see all, scoped assignments their scope), in
    /// name order: Azure's list shape, <c>{value, nextLink}</c>, with <c>top</c> (1-1000, default 100).
    /// </summary>
    [Function("ListResources"), RequiresPermission(Permission.ResourcesRead, ActionScope.List, Audited = false)]
    public async Task<IResult> ListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "resources")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int size, IResult? invalid) = FilteredPager.PageSize(QueryValues.Int(request, "top"));
        if (invalid is not null) return invalid;
        string? continuationToken = QueryValues.Text(request, "continuationToken");
        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(request.HttpContext.User)!,
            Permission.ResourcesRead, ct);
        (IReadOnlyList<ResourceRecord> page, string? resume) = await FilteredPager.ReadAsync(
            (after, limit) => store.ListPageAsync(after ?? continuationToken, limit, ct),
            record => record.Name,
            record => ValueTask.FromResult(view.CanSee(record)),
            size, after: null, filtered: !view.SeesEverything);
        return Results.Ok(new ListPage<ResourceView>([.. page.Select(ResourceView.From)],
            resume is null ? null : FilteredPager.NextLink(request, resume)));
    }

    [Function("GetResource"), RequiresPermission(Permission.ResourcesRead, ActionScope.Resource, Audited = false)]
    public async Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "resources/{name}")] HttpRequest request, string name, CancellationToken ct)
        => await store.GetAsync(name, ct) is { } record ? Results.Ok(ResourceView.From(record)) : NotFound(name);

    public static IResult NotFound(string name) => AzureError.NotFound("ResourceNotFound",
        $"EdgeKv manages no resource named '{name}'.");

    [Function("PutResource"), RequiresPermission(Permission.ResourcesWrite, ActionScope.Resource)]
    public async Task<IResult> PutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put",
        Route = "resources/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        BodyResult<PutResourceRequest> read = await JsonBody.ReadOptionalAsync<PutResourceRequest>(request, ct);
        if (read.Error is not null) return read.Error;
        PutResourceRequest? body = read.Value;
        if (!IdentifierRules.IsValidResourceName(name)) return AzureError.BadRequest("InvalidResourceName",
            $"'{name}' is not a valid resource name: 2-50 letters, digits and hyphens, starting with a letter or digit.");
        if (await store.GetAsync(name, ct) is { } existing)
        {
            // The same name adopting another resource is not a repeat of the first PUT: refused, nothing changes.
            return body?.ResourceId is { Length: > 0 } other && !string.Equals(other, existing.ResourceId,
                StringComparison.OrdinalIgnoreCase)
                ? AzureError.Conflict("ResourceNameInUse",
                    $"EdgeKv already manages a resource named '{name}': '{existing.ResourceId}'.")
                : Results.Ok(ResourceView.From(existing));
        }

        AzureContext az = await azure.GetAsync(ct);
        EdgeDevicesClient devices = az.Factory.GetEdgeDevicesClient();
        ResourceRecord record;
        try
        {
            if (body?.ResourceId is { Length: > 0 } adoptId)
            {
                if (EdgeDeviceId(adoptId) is not { } id || id.Name != name)
                {
                    return AzureError.BadRequest("InvalidResourceId",
                        $"'{adoptId}' is not the id of a dataBoxEdgeDevices resource named '{name}' (/subscriptions/{{subscription id}}/resourceGroups/{{group}}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{name}).");
                }

                // Read as EdgeKv in the resource's own subscription: Resource Manager's 403 (no role there) or 404 (no
                // such subscription, group or resource) is passed on as it is, and nothing is recorded.
                EdgeDevice device = await az.Factory.GetEdgeDevicesClient(subscriptionId: id.SubscriptionId).GetAsync(id.ResourceGroupName!, id.Name, ct);
                record = new ResourceRecord
                {
                    Name = name, ResourceId = device.Id, ResourceGroup = id.ResourceGroupName!,
                        Location = device.Location,
                    PrincipalId = device.PrincipalId, TenantId = device.TenantId, PreVaultIntegration = true,
                };
            }
            else
            {
                EdgeDevice device = await devices.CreateAsync(az.ResourceGroup, name, body?.Location ?? az.Location,
                    new Dictionary<string, string> { ["managed-by"] = "edgekv" }, ct);
                record = new ResourceRecord
                {
                    Name = name, ResourceId = device.Id, ResourceGroup = az.ResourceGroup, Location = device.Location,
                    PrincipalId = device.PrincipalId, TenantId = device.TenantId,
                };
            }
        }
        catch (RequestFailedException ex)
        {
            return DependencyFailures.From(ex, "Azure Resource Manager");
        }

        if (!await store.TryAddAsync(record, ct))
        {
            return await store.GetAsync(name, ct) is { } raced && string.Equals(raced.ResourceId, record.ResourceId,
                StringComparison.OrdinalIgnoreCase)
                ? Results.Ok(ResourceView.From(raced))
                : AzureError.Conflict("ResourceAlreadyManaged",
                    $"The resource '{record.ResourceId}' is already managed by EdgeKv under another name.");
        }

        LogResourceAdded(logger, name, record.ResourceId, record.PreVaultIntegration);
        return Results.Created($"/api/resources/{Uri.EscapeDataString(name)}", ResourceView.From(record));
    }

    /// <summary>
    /// The id of a dataBoxEdgeDevices resource with a subscription GUID and a resource group, or null. Azure.Core
    /// parses ids lazily and throws on first use of a bad part, so every part used later is read here, once.
    /// </summary>
    private static ResourceIdentifier? EdgeDeviceId(string value)
    {
        try
        {
            var id = new ResourceIdentifier(value);
            return string.Equals(id.ResourceType.ToString(), "Microsoft.DataBoxEdge/dataBoxEdgeDevices",
                StringComparison.OrdinalIgnoreCase)
                && Guid.TryParseExact(id.SubscriptionId, "D",
                    out _) && IdentifierRules.IsValidResourceGroupName(id.ResourceGroupName) ? id : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }


    [LoggerMessage(2111, LogLevel.Information,
        "Resource {Name} ({ResourceId}) recorded; from before vault integration: {PreVault}.")]
    private static partial void LogResourceAdded(ILogger logger, string name, string resourceId, bool preVault);
}
