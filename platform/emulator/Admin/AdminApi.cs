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
                return Results.Json(AdminHttp.Error("Forbidden",
                    "The admin API needs the admin key and a loopback caller."), statusCode: 403);
            }

            return await next(context);
        });

        admin.MapGet("/clock",
            (EmulatorClock clock) => Results.Json(new { now = clock.GetUtcNow(), shift = clock.Shift },
                AdminJson.Options));
        admin.MapPost("/clock/advance", AdvanceClockAsync);
        admin.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.List(), AdminJson.Options));
        admin.MapPost("/faults", AddFaultAsync);
        admin.MapDelete("/faults", (FaultInjector faults) => { faults.Clear(); return Results.NoContent(); });
        admin.MapDelete("/faults/{id}",
            (FaultInjector faults, string id) => faults.Remove(id) ? Results.NoContent() : Results.NotFound());
        admin.MapGet("/requests", QueryRequests);
        admin.MapDelete("/requests", (RequestLog log) => { log.Clear(); return Results.NoContent(); });
        admin.MapGet("/identities", ListIdentitiesAsync);
        admin.MapIdentityHostsApi();
        admin.MapGet("/eventgrid/deliveries",
            (EventGrid.DeliveryLog log, string? subscription) => Results.Json(log.List(subscription),
                AdminJson.Options));
        admin.MapDelete("/eventgrid/deliveries",
            (EventGrid.DeliveryLog log) => { log.Clear(); return Results.NoContent(); });
        admin.MapGet("/eventgrid/delivery",
            (EventGrid.EventGridPublisher publisher) => Results.Json(new { paused = publisher.DeliveryPaused },
                AdminJson.Options));
        admin.MapPut("/eventgrid/delivery", SetEventDeliveryAsync);
        admin.MapPost("/keyvault/expiryCheck",
            async (EventGrid.SecretExpiryEvents expiry, CancellationToken cancellationToken) =>
        {
            var (nearExpiry, expired) = await expiry.CheckAsync(cancellationToken);
            return Results.Json(new { nearExpiry, expired }, AdminJson.Options);
        });
        admin.MapAdminStateApi();
        admin.MapPost("/tokens", IssueTokenAsync);
        return routes;
    }

    private static async Task<IResult> AdvanceClockAsync(HttpContext http, EmulatorClock clock, IDocumentStore store,
        ILogger<EmulatorClock> logger, CancellationToken cancellationToken)
    {
        var body = await AdminHttp.ReadAsync(http, cancellationToken);
        if (body is null || !TimeSpan.TryParse((string?)body["by"], System.Globalization.CultureInfo.InvariantCulture,
            out var by))
        {
            return Results.Json(AdminHttp.Error("BadRequest", "Expected {\"by\": \"d.hh:mm:ss\"}."), statusCode: 400);
        }

        clock.Shift += by;
        await store.PutAsync(Collections.Settings, "clock", new JsonObject { ["shiftTicks"] = clock.Shift.Ticks },
            cancellationToken);
        Logs.ClockShifted(logger, clock.Shift);
        return Results.Json(new { now = clock.GetUtcNow(), shift = clock.Shift }, AdminJson.Options);
    }

    private static async Task<IResult> AddFaultAsync(HttpContext http, FaultInjector faults,
        CancellationToken cancellationToken)
    {
        try
        {
            var rule = await http.Request.ReadFromJsonAsync<FaultRule>(AdminJson.Options, cancellationToken);
            return rule is null ? Results.BadRequest() : Results.Json(faults.Add(rule), AdminJson.Options,
                statusCode: 201);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException)
        {
            return Results.Json(AdminHttp.Error("BadRequest", ex.Message), statusCode: 400);
        }
    }

    /// <summary>
    /// <c>{"paused": true}</c> loses every event from now on (nothing is queued for later); <c>false</c> delivers
    /// again.
    /// </summary>
    private static async Task<IResult> SetEventDeliveryAsync(HttpContext http, EventGrid.EventGridPublisher publisher,
        CancellationToken cancellationToken)
    {
        var body = await AdminHttp.ReadAsync(http, cancellationToken);
        if (body?["paused"] is not System.Text.Json.Nodes.JsonValue value || !value.TryGetValue(out bool paused))
        {
            return Results.Json(AdminHttp.Error("BadRequest", "Expected {\"paused\": true|false}."), statusCode: 400);
        }

        publisher.DeliveryPaused = paused;
        return Results.Json(new { paused }, AdminJson.Options);
    }

    private static IResult QueryRequests(HttpContext http, RequestLog log)
    {
        var query = http.Request.Query;
        int? status = int.TryParse(query["status"], out var s) ? s : null;
        Guid? caller = Guid.TryParse(query["callerObjectId"], out var c) ? c : null;
        DateTimeOffset? since = DateTimeOffset.TryParse(query["since"],
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None,
            out var t) ? t : null;
        var method = query["method"].ToString();
        var path = query["pathContains"].ToString();
        return Results.Json(log.Query(method.Length == 0 ? null : method, path.Length == 0 ? null : path, status,
            caller, since), AdminJson.Options);
    }

    private static async Task<IResult> ListIdentitiesAsync(HttpContext http, ManagedIdentityRegistry identities,
        EmulatorSettings settings, CancellationToken cancellationToken)
    {
        var resourceId = http.Request.Query["resourceId"].ToString();
        var all = await identities.ListAsync(cancellationToken);
        var selected = all.Where(i => resourceId.Length == 0 || string.Equals(i.ResourceId, resourceId,
            StringComparison.OrdinalIgnoreCase))
            .Select(i => new ManagedIdentityInfo(i.PrincipalId, i.ClientId, i.TenantId, i.ResourceId, i.Enabled,
                settings.IdentityEndpoint, i.Secret));
        return Results.Json(selected, AdminJson.Options);
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext http, TokenIssuer issuer, EmulatorSettings settings,
        CancellationToken cancellationToken)
    {
        var body = await AdminHttp.ReadAsync(http, cancellationToken);
        var principal = settings.Principals.FirstOrDefault(p => p.Name == (string?)body?["principal"]);
        var audience = (string?)body?["audience"];
        if (principal is null || audience is null)
        {
            return Results.Json(AdminHttp.Error("BadRequest",
                "Expected {\"principal\": name, \"audience\": uri, \"lifetimeSeconds\": n}."), statusCode: 400);
        }

        TimeSpan? lifetime = body?["lifetimeSeconds"] is { } seconds ? TimeSpan.FromSeconds((double)seconds) : null;
        // "groups" replaces the principal's configured memberships for this one token (a test's group, or an overage).
        IReadOnlyList<Guid>? groups = principal.Groups;
        if (body?["groups"] is JsonArray listed)
        {
            var parsed = new List<Guid>();
            foreach (var item in listed)
            {
                if (item is not JsonValue value || !value.TryGetValue(out string? text) || !Guid.TryParse(text,
                    out var group))
                {
                    return Results.Json(AdminHttp.Error("BadRequest", "groups must be an array of object ids (GUIDs)."),
                        statusCode: 400);
                }

                parsed.Add(group);
            }

            groups = parsed;
        }

        // "objectId" makes the token another principal's of the tenant signing in through this application (as a user's
        // delegated token carries the user's object id and the app's id), so a test can have any number of principals.
        var objectId = principal.ObjectId;
        if (body?["objectId"] is { } subject && !Guid.TryParse((string?)subject, out objectId))
        {
            return Results.Json(AdminHttp.Error("BadRequest", "objectId must be a GUID."), statusCode: 400);
        }

        // "version" 1.0 issues what Entra issues for a resource whose app registration accepts v1 tokens; "tenantId"
        // what another tenant's sign-in would carry (its issuer, the same signing keys).
        var version = (string?)body?["version"] ?? TokenIssuer.Version2;
        if (version is not (TokenIssuer.Version1 or TokenIssuer.Version2))
        {
            return Results.Json(AdminHttp.Error("BadRequest", "version must be \"1.0\" or \"2.0\"."), statusCode: 400);
        }

        Guid? tenant = null;
        if (body?["tenantId"] is { } tenantNode)
        {
            if (!Guid.TryParse((string?)tenantNode, out var parsedTenant))
            {
                return Results.Json(AdminHttp.Error("BadRequest", "tenantId must be a GUID."), statusCode: 400);
            }

            tenant = parsedTenant;
        }

        var token = issuer.Issue(objectId, principal.ClientId, audience, principal.AppRoles, lifetime, groups, version,
            tenant);
        return Results.Json(new { accessToken = token.AccessToken, expiresOn = token.ExpiresOn }, AdminJson.Options);
    }
}
