using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// The managed-identity endpoint of App Service and Azure Functions (<c>IDENTITY_ENDPOINT</c>, api-version 2019-08-01):
/// <c>GET
/// ?resource=...&amp;api-version=2019-08-01[&amp;client_id=|&amp;mi_res_id=|&amp;principal_id=|&amp;object_id=]</c>
/// with the host's secret in <c>X-IDENTITY-HEADER</c>. The header names either a resource's system-assigned identity or
/// a compute host; a host answers for the user-assigned identity the query selects among those attached to it.
/// </summary>
internal static class ManagedIdentityEndpoint
{
    public const string ApiVersion = "2019-08-01";

    public static async Task<IResult> IssueTokenAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var header = context.Request.Headers["X-IDENTITY-HEADER"].ToString();
        var resource = query["resource"].ToString();
        if (string.IsNullOrEmpty(header)) return Error("The X-IDENTITY-HEADER header is missing.");
        if (query["api-version"].ToString() != ApiVersion) return Error($"The api-version must be {ApiVersion}.");
        if (string.IsNullOrEmpty(resource)) return Error("The resource parameter is missing.");

        var selectors = new[] { "client_id", "mi_res_id", "principal_id", "object_id" }
            .Where(name => !string.IsNullOrEmpty(query[name])).Select(name => (Name: name,
                Value: query[name].ToString())).ToList();
        if (selectors.Count > 1) return Error("Only one of client_id, mi_res_id, principal_id and object_id may be given.");

        var identity = await FindAsync(context.RequestServices, header, selectors.Count == 0 ? null : selectors[0],
            context.RequestAborted);
        if (identity is null || !identity.Enabled) return Error("No managed identity matches the identity header and the identity requested.");

        var audience = resource.EndsWith("/.default",
            StringComparison.Ordinal) ? resource[..^"/.default".Length] : resource;
        var token = context.RequestServices.GetRequiredService<TokenIssuer>().Issue(identity.PrincipalId,
            identity.ClientId, audience, roles: null);
        return Results.Json(new JsonObject
        {
            ["access_token"] = token.AccessToken,
            ["expires_on"] = token.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = identity.ClientId.ToString(),
        });
    }

    /// <summary>The identity the header and the selector name together; null when they name none.</summary>
    private static async Task<ManagedIdentityRecord?> FindAsync(IServiceProvider services, string header,
        (string Name, string Value)? selector,
        CancellationToken cancellationToken)
    {
        var identities = services.GetRequiredService<ManagedIdentityRegistry>();
        if (await identities.FindBySecretAsync(header, cancellationToken) is { } systemAssigned)
        {
            return selector is null || Matches(systemAssigned, selector.Value) ? systemAssigned : null;
        }

        if (selector is null || await services.GetRequiredService<IdentityHostRegistry>().FindBySecretAsync(header,
            cancellationToken) is not { } host)
        {
            return null; // a host with user-assigned identities only answers for the one asked for, as App Service does
        }

        foreach (var resourceId in host.UserAssignedIdentities)
        {
            if (await identities.FindByResourceAsync(resourceId, cancellationToken) is { } attached && Matches(attached,
                selector.Value)) return attached;
        }

        return null;
    }

    private static bool Matches(ManagedIdentityRecord identity,
        (string Name, string Value) selector) => selector.Name switch
    {
        "client_id" => Guid.TryParse(selector.Value, out var clientId) && clientId == identity.ClientId,
        "mi_res_id" => string.Equals(selector.Value, identity.ResourceId, StringComparison.OrdinalIgnoreCase),
        _ => Guid.TryParse(selector.Value, out var principalId) && principalId == identity.PrincipalId,
    };

    private static IResult Error(string description) =>
        Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = description },
            statusCode: 400);
}
