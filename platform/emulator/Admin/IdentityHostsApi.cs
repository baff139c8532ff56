using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeKv.Emulator.Admin;

/// <summary>
/// <c>/admin/identityHosts/{name}</c>: the emulator's stand-in for a compute resource with user-assigned identities
/// attached (an App Service site's <c>identity.userAssignedIdentities</c>): PUT attaches the listed identities and
/// answers the endpoint and header its processes use; GET reads it; DELETE detaches everything.
/// </summary>
internal static class IdentityHostsApi
{
    public static RouteGroupBuilder MapIdentityHostsApi(this RouteGroupBuilder admin)
    {
        admin.MapPut("/identityHosts/{name}", PutAsync);
        admin.MapGet("/identityHosts/{name}",
            async (IdentityHostRegistry hosts, EmulatorSettings settings, string name,
                CancellationToken cancellationToken) =>
            await hosts.GetAsync(name, cancellationToken) is { } host ? Results.Json(Info(host, settings),
                AdminJson.Options) : Results.NotFound());
        admin.MapDelete("/identityHosts/{name}",
            async (IdentityHostRegistry hosts, string name, CancellationToken cancellationToken) =>
            await hosts.DeleteAsync(name, cancellationToken) ? Results.NoContent() : Results.NotFound());
        return admin;
    }

    private static async Task<IResult> PutAsync(HttpContext http, IdentityHostRegistry hosts,
        ManagedIdentityRegistry identities, EmulatorSettings settings,
        string name, CancellationToken cancellationToken)
    {
        var body = await AdminHttp.ReadAsync(http, cancellationToken);
        if (body?["userAssignedIdentities"] is not JsonArray list || list.Any(n => n is not JsonValue v || !v.TryGetValue(out string? _)))
        {
            return Results.Json(AdminHttp.Error("BadRequest",
                "Expected {\"userAssignedIdentities\": [resource id, ...]}."), statusCode: 400);
        }

        var ids = list.Select(n => (string)n!).ToList();
        foreach (var id in ids)
        {
            if (!id.Contains("/providers/" + UserAssignedIdentitiesApi.Type + "/", StringComparison.OrdinalIgnoreCase)
                || await identities.FindByResourceAsync(id, cancellationToken) is null)
            {
                return Results.Json(AdminHttp.Error("BadRequest",
                    $"'{id}' is not a user-assigned identity of this emulator."), statusCode: 400);
            }
        }

        return Results.Json(Info(await hosts.PutAsync(name, ids, cancellationToken), settings), AdminJson.Options);
    }

    private static ManagedIdentityHostInfo Info(IdentityHostRecord host, EmulatorSettings settings) =>
        new(host.Name, settings.IdentityEndpoint, host.Secret, host.UserAssignedIdentities);
}
