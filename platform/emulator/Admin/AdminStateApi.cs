using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator.Admin;

/// <summary>
/// Admin changes to state, made the way a careless user (or a test's setup) would, past locks and RBAC: delete a
/// resource, remove an access policy, disable or delete an identity, create or delete a subscription. They take
/// the same state gate as Resource Manager requests.
/// </summary>
internal static class AdminStateApi
{
    public static RouteGroupBuilder MapAdminStateApi(this RouteGroupBuilder admin)
    {
        var state = admin.MapGroup(string.Empty).AddEndpointFilter(async (context, next) =>
        {
            using (await context.HttpContext.RequestServices.GetRequiredService<StateGate>().EnterWriteAsync(context.HttpContext.RequestAborted))
            {
                return await next(context);
            }
        });
        state.MapPost("/damage/delete-resource", DeleteResourceAsync);
        state.MapPost("/damage/remove-access-policy", RemoveAccessPolicyAsync);
        state.MapPost("/damage/disable-identity",
            (HttpContext http, CancellationToken ct) => ChangeIdentityAsync(http, delete: false, ct));
        state.MapPost("/damage/delete-identity",
            (HttpContext http, CancellationToken ct) => ChangeIdentityAsync(http, delete: true, ct));
        state.MapPut("/subscriptions/{subscriptionId}", CreateSubscriptionAsync);
        state.MapDelete("/subscriptions/{subscriptionId}", DeleteSubscriptionAsync);
        return admin;
    }

    private static async Task<IResult> DeleteResourceAsync(HttpContext http, ArmServices services,
        VaultLifecycle vaults, EventGrid.ResourceEvents events,
        ILogger<ArmServices> logger, CancellationToken cancellationToken)
    {
        var id = (string?)(await AdminHttp.ReadAsync(http, cancellationToken))?["resourceId"];
        if (id is null || await services.Resources.GetAsync(id, cancellationToken) is not { } resource)
        {
            return Results.Json(AdminHttp.Error("ResourceNotFound", $"The resource '{id}' was not found."),
                statusCode: 404);
        }

        Logs.AdminAction(logger, "delete-resource", id);
        if (string.Equals((string?)resource["type"], VaultLifecycle.VaultType, StringComparison.OrdinalIgnoreCase))
        {
            await vaults.SoftDeleteAsync(resource, cancellationToken);
        }
        else
        {
            await services.Resources.DeleteTreeAsync(id, cancellationToken);
        }

        await events.ResourceDeletedAsync(id, $"{resource["type"]}/delete", null, "DELETE", $"{services.Settings.Endpoint.AbsoluteUri.TrimEnd('/')}{id}",
            http.TraceIdentifier, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveAccessPolicyAsync(HttpContext http, ArmServices services,
        EventGrid.ResourceEvents events, ILogger<ArmServices> logger,
        CancellationToken cancellationToken)
    {
        var body = await AdminHttp.ReadAsync(http, cancellationToken);
        var vaultId = (string?)body?["vaultId"];
        var objectId = (string?)body?["objectId"];
        if (vaultId is null || objectId is null || await services.Resources.GetAsync(vaultId,
            cancellationToken) is not { } vault)
        {
            return Results.Json(AdminHttp.Error("ResourceNotFound", $"The vault '{vaultId}' was not found."),
                statusCode: 404);
        }

        Logs.AdminAction(logger, "remove-access-policy", vaultId);
        var policies = vault["properties"]!["accessPolicies"]!.AsArray();
        foreach (var entry in policies.Where(p => string.Equals((string?)p?["objectId"], objectId,
            StringComparison.OrdinalIgnoreCase)).ToList())
        {
            policies.Remove(entry);
        }

        await services.Resources.PutAsync(vault, cancellationToken);
        await events.AccessPolicyChangedAsync(vault, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ChangeIdentityAsync(HttpContext http, bool delete,
        CancellationToken cancellationToken)
    {
        var identities = http.RequestServices.GetRequiredService<ManagedIdentityRegistry>();
        var logger = http.RequestServices.GetRequiredService<ILogger<ManagedIdentityRegistry>>();
        var resourceId = (string?)(await AdminHttp.ReadAsync(http, cancellationToken))?["resourceId"];
        if (resourceId is null || await identities.FindByResourceAsync(resourceId,
            cancellationToken) is not { } identity)
        {
            return Results.Json(AdminHttp.Error("ResourceNotFound", $"No identity for '{resourceId}'."),
                statusCode: 404);
        }

        Logs.AdminAction(logger, delete ? "delete-identity" : "disable-identity", resourceId);
        if (delete)
        {
            await identities.DeleteAsync(identity.PrincipalId, cancellationToken);
        }
        else
        {
            await identities.SaveAsync(identity with { Enabled = false }, cancellationToken);
        }

        return Results.NoContent();
    }

    private static async Task<IResult> CreateSubscriptionAsync(HttpContext http, string subscriptionId,
        ArmServices services, EmulatorClock clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(subscriptionId, out _))
        {
            return Results.Json(AdminHttp.Error("BadRequest", "The subscription id must be a GUID."), statusCode: 400);
        }

        var body = await AdminHttp.ReadAsync(http, cancellationToken);
        var registered = body?["registeredProviders"] is JsonArray list
            ? list.Select(p => (string?)p).OfType<string>().ToList()
            : ProviderCatalog.Providers.Keys.ToList();
        await EmulatorSeeder.EnsureSubscriptionAsync(services.Store, services.Resources, services.Settings,
            subscriptionId,
            (string?)body?["displayName"] ?? subscriptionId, registered, clock, cancellationToken);
        return Results.Json(SubscriptionsApi.ToWire((await services.Store.GetAsync(Collections.Subscriptions,
            subscriptionId, cancellationToken))!), statusCode: 201);
    }

    private static async Task<IResult> DeleteSubscriptionAsync(string subscriptionId, ArmServices services,
        VaultLifecycle vaults, CancellationToken cancellationToken)
    {
        if (!await services.Store.DeleteAsync(Collections.Subscriptions, subscriptionId, cancellationToken))
        {
            return Results.Json(AdminHttp.Error("SubscriptionNotFound",
                $"The subscription '{subscriptionId}' could not be found."), statusCode: 404);
        }

        var scope = $"/subscriptions/{subscriptionId}";
        foreach (var vault in await services.Resources.ListAsync(VaultLifecycle.VaultType, scope, cancellationToken))
        {
            await vaults.SoftDeleteAsync(vault, cancellationToken);
        }

        await services.Resources.DeleteTreeAsync(scope, cancellationToken);
        return Results.NoContent();
    }
}
