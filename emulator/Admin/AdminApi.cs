using System.Net;
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
/// The admin surface under <c>/admin</c>: loopback only and authenticated by the <c>x-emulator-admin-key</c>
/// header. Clock shift, faults, the request log, managed identities, out-of-band damage and test tokens.
/// </summary>
internal static class AdminApi
{
    public const string KeyHeader = "x-emulator-admin-key";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var settings = http.RequestServices.GetRequiredService<EmulatorSettings>();
            var remote = http.Connection.RemoteIpAddress;
            if (remote is null || !IPAddress.IsLoopback(remote) || http.Request.Headers[KeyHeader] != settings.AdminKey)
            {
                return Results.Json(Error("Forbidden", "The admin API needs the admin key and a loopback caller."), statusCode: 403);
            }

            return await next(context);
        });

        admin.MapGet("/clock", (EmulatorClock clock) => Results.Json(new { now = clock.GetUtcNow(), shift = clock.Shift }, AdminJson.Options));
        admin.MapPost("/clock/advance", AdvanceClockAsync);
        admin.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.List(), AdminJson.Options));
        admin.MapPost("/faults", AddFaultAsync);
        admin.MapDelete("/faults", (FaultInjector faults) => { faults.Clear(); return Results.NoContent(); });
        admin.MapDelete("/faults/{id}", (FaultInjector faults, string id) => faults.Remove(id) ? Results.NoContent() : Results.NotFound());
        admin.MapGet("/requests", QueryRequests);
        admin.MapDelete("/requests", (RequestLog log) => { log.Clear(); return Results.NoContent(); });
        admin.MapGet("/identities", ListIdentitiesAsync);
        var damage = admin.MapGroup(string.Empty).AddEndpointFilter(async (context, next) =>
        {
            using (await context.HttpContext.RequestServices.GetRequiredService<StateGate>().EnterAsync(context.HttpContext.RequestAborted))
            {
                return await next(context);
            }
        });
        damage.MapPost("/damage/delete-resource", DeleteResourceAsync);
        damage.MapPost("/damage/remove-access-policy", RemoveAccessPolicyAsync);
        damage.MapPost("/damage/disable-identity", (HttpContext http, CancellationToken ct) => ChangeIdentityAsync(http, delete: false, ct));
        damage.MapPost("/damage/delete-identity", (HttpContext http, CancellationToken ct) => ChangeIdentityAsync(http, delete: true, ct));
        admin.MapPost("/tokens", IssueTokenAsync);
        damage.MapPut("/subscriptions/{subscriptionId}", CreateSubscriptionAsync);
        damage.MapDelete("/subscriptions/{subscriptionId}", DeleteSubscriptionAsync);
        return routes;
    }

    private static async Task<IResult> AdvanceClockAsync(HttpContext http, EmulatorClock clock, IDocumentStore store, ILogger<EmulatorClock> logger, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(http, cancellationToken);
        if (body is null || !TimeSpan.TryParse((string?)body["by"], System.Globalization.CultureInfo.InvariantCulture, out var by))
        {
            return Results.Json(Error("BadRequest", "Expected {\"by\": \"d.hh:mm:ss\"}."), statusCode: 400);
        }

        clock.Shift += by;
        await store.PutAsync(Collections.Settings, "clock", new JsonObject { ["shiftTicks"] = clock.Shift.Ticks }, cancellationToken);
        Logs.ClockShifted(logger, clock.Shift);
        return Results.Json(new { now = clock.GetUtcNow(), shift = clock.Shift }, AdminJson.Options);
    }

    private static async Task<IResult> AddFaultAsync(HttpContext http, FaultInjector faults, CancellationToken cancellationToken)
    {
        try
        {
            var rule = await http.Request.ReadFromJsonAsync<FaultRule>(AdminJson.Options, cancellationToken);
            return rule is null ? Results.BadRequest() : Results.Json(faults.Add(rule), AdminJson.Options, statusCode: 201);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException)
        {
            return Results.Json(Error("BadRequest", ex.Message), statusCode: 400);
        }
    }

    private static IResult QueryRequests(HttpContext http, RequestLog log)
    {
        var query = http.Request.Query;
        int? status = int.TryParse(query["status"], out var s) ? s : null;
        Guid? caller = Guid.TryParse(query["callerObjectId"], out var c) ? c : null;
        DateTimeOffset? since = DateTimeOffset.TryParse(query["since"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;
        var method = query["method"].ToString();
        var path = query["pathContains"].ToString();
        return Results.Json(log.Query(method.Length == 0 ? null : method, path.Length == 0 ? null : path, status, caller, since), AdminJson.Options);
    }

    private static async Task<IResult> ListIdentitiesAsync(HttpContext http, ManagedIdentityRegistry identities, EmulatorSettings settings, CancellationToken cancellationToken)
    {
        var resourceId = http.Request.Query["resourceId"].ToString();
        var all = await identities.ListAsync(cancellationToken);
        var selected = all.Where(i => resourceId.Length == 0 || string.Equals(i.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase))
            .Select(i => new ManagedIdentityInfo(i.PrincipalId, i.ClientId, i.TenantId, i.ResourceId, i.Enabled, settings.IdentityEndpoint, i.Secret));
        return Results.Json(selected, AdminJson.Options);
    }

    private static async Task<IResult> DeleteResourceAsync(HttpContext http, ArmServices services, VaultLifecycle vaults, ILogger<ArmServices> logger, CancellationToken cancellationToken)
    {
        var id = (string?)(await ReadAsync(http, cancellationToken))?["resourceId"];
        if (id is null || await services.Resources.GetAsync(id, cancellationToken) is not { } resource)
        {
            return Results.Json(Error("ResourceNotFound", $"The resource '{id}' was not found."), statusCode: 404);
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

        return Results.NoContent();
    }

    private static async Task<IResult> RemoveAccessPolicyAsync(HttpContext http, ArmServices services, ILogger<ArmServices> logger, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(http, cancellationToken);
        var vaultId = (string?)body?["vaultId"];
        var objectId = (string?)body?["objectId"];
        if (vaultId is null || objectId is null || await services.Resources.GetAsync(vaultId, cancellationToken) is not { } vault)
        {
            return Results.Json(Error("ResourceNotFound", $"The vault '{vaultId}' was not found."), statusCode: 404);
        }

        Logs.AdminAction(logger, "remove-access-policy", vaultId);
        var policies = vault["properties"]!["accessPolicies"]!.AsArray();
        foreach (var entry in policies.Where(p => string.Equals((string?)p?["objectId"], objectId, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            policies.Remove(entry);
        }

        await services.Resources.PutAsync(vault, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ChangeIdentityAsync(HttpContext http, bool delete, CancellationToken cancellationToken)
    {
        var identities = http.RequestServices.GetRequiredService<ManagedIdentityRegistry>();
        var logger = http.RequestServices.GetRequiredService<ILogger<ManagedIdentityRegistry>>();
        var resourceId = (string?)(await ReadAsync(http, cancellationToken))?["resourceId"];
        if (resourceId is null || await identities.FindByResourceAsync(resourceId, cancellationToken) is not { } identity)
        {
            return Results.Json(Error("ResourceNotFound", $"No identity for '{resourceId}'."), statusCode: 404);
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

    private static async Task<IResult> IssueTokenAsync(HttpContext http, TokenIssuer issuer, EmulatorSettings settings, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(http, cancellationToken);
        var principal = settings.Principals.FirstOrDefault(p => p.Name == (string?)body?["principal"]);
        var audience = (string?)body?["audience"];
        if (principal is null || audience is null)
        {
            return Results.Json(Error("BadRequest", "Expected {\"principal\": name, \"audience\": uri, \"lifetimeSeconds\": n}."), statusCode: 400);
        }

        TimeSpan? lifetime = body?["lifetimeSeconds"] is { } seconds ? TimeSpan.FromSeconds((double)seconds) : null;
        var token = issuer.Issue(principal.ObjectId, principal.ClientId, audience, principal.AppRoles, lifetime);
        return Results.Json(new { accessToken = token.AccessToken, expiresOn = token.ExpiresOn }, AdminJson.Options);
    }

    private static async Task<IResult> CreateSubscriptionAsync(HttpContext http, string subscriptionId, ArmServices services, EmulatorClock clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(subscriptionId, out _))
        {
            return Results.Json(Error("BadRequest", "The subscription id must be a GUID."), statusCode: 400);
        }

        var body = await ReadAsync(http, cancellationToken);
        var registered = body?["registeredProviders"] is JsonArray list
            ? list.Select(p => (string?)p).OfType<string>().ToList()
            : ProviderCatalog.Providers.Keys.ToList();
        await EmulatorSeeder.EnsureSubscriptionAsync(services.Store, services.Resources, services.Settings, subscriptionId,
            (string?)body?["displayName"] ?? subscriptionId, registered, clock, cancellationToken);
        return Results.Json(SubscriptionsApi.ToWire((await services.Store.GetAsync(Collections.Subscriptions, subscriptionId, cancellationToken))!), statusCode: 201);
    }

    private static async Task<IResult> DeleteSubscriptionAsync(string subscriptionId, ArmServices services, VaultLifecycle vaults, CancellationToken cancellationToken)
    {
        if (!await services.Store.DeleteAsync(Collections.Subscriptions, subscriptionId, cancellationToken))
        {
            return Results.Json(Error("SubscriptionNotFound", $"The subscription '{subscriptionId}' could not be found."), statusCode: 404);
        }

        var scope = $"/subscriptions/{subscriptionId}";
        foreach (var vault in await services.Resources.ListAsync(VaultLifecycle.VaultType, scope, cancellationToken))
        {
            await vaults.SoftDeleteAsync(vault, cancellationToken);
        }

        await services.Resources.DeleteTreeAsync(scope, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<JsonObject?> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
