using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// The token service in the shape of Microsoft Entra ID: client credentials, OpenID configuration, signing keys,
/// and the App Service managed-identity endpoint.
/// </summary>
internal static class TokenServiceApi
{
    public const string ManagedIdentityPath = "/msi/token";

    public static IEndpointRouteBuilder MapTokenServiceApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/{tenant}/oauth2/v2.0/token", IssueClientCredentialsTokenAsync);
        routes.MapGet("/{tenant}/discovery/v2.0/keys", (HttpContext context) => GetKeys(context));
        routes.MapGet("/{tenant}/discovery/keys", (HttpContext context) => GetKeys(context));
        routes.MapGet("/{tenant}/v2.0/.well-known/openid-configuration",
            (HttpContext context, string tenant) => GetOpenIdConfiguration(context, tenant, TokenIssuer.Version2));
        routes.MapGet("/{tenant}/.well-known/openid-configuration",
            (HttpContext context, string tenant) => GetOpenIdConfiguration(context, tenant, TokenIssuer.Version1));
        routes.MapGet("/{tenant}/oauth2/v2.0/authorize",
            (HttpContext context, string tenant) => RefuseInteractive(context, tenant));
        routes.MapGet("/{tenant}/oauth2/v2.0/logout",
            (HttpContext context, string tenant) => RefuseInteractive(context, tenant));
        routes.MapGet("/common/discovery/instance", (HttpContext context) => GetInstanceDiscovery(context));
        routes.MapGet(ManagedIdentityPath, (Func<HttpContext, Task<IResult>>)ManagedIdentityEndpoint.IssueTokenAsync);
        return routes;
    }

    private static async Task<IResult> IssueClientCredentialsTokenAsync(HttpContext context, string tenant)
    {
        var settings = context.RequestServices.GetRequiredService<EmulatorSettings>();
        var issuer = context.RequestServices.GetRequiredService<TokenIssuer>();
        if (!Guid.TryParse(tenant, out var tenantId) || tenantId != settings.TenantId)
        {
            return AadError(400, "invalid_request", 90002,
                $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }

        if (!context.Request.HasFormContentType)
        {
            return AadError(400, "invalid_request", 900144,
                "The request body must contain the following parameter: 'grant_type'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            return AadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        }

        var clientId = form["client_id"].ToString();
        var principal = settings.Principals.FirstOrDefault(p => Guid.TryParse(clientId,
            out var id) && p.ClientId == id);
        if (principal is null)
        {
            return AadError(400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.");
        }

        if (form["client_secret"] != principal.ClientSecret)
        {
            return AadError(401, "invalid_client", 7000215,
                $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
        }

        var scope = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (scope is null || !scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return AadError(400, "invalid_scope", 1002012,
                $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }

        var token = issuer.Issue(principal.ObjectId, principal.ClientId, scope[..^"/.default".Length],
            principal.AppRoles, groups: principal.Groups);
        var lifetime = (long)Math.Max(0, (token.ExpiresOn - settings.HostClock.GetUtcNow()).TotalSeconds);
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = lifetime,
            ["ext_expires_in"] = lifetime,
            ["access_token"] = token.AccessToken,
        });
    }

    private static IResult GetKeys(HttpContext context)
    {
        var key = context.RequestServices.GetRequiredService<SigningKey>();
        return Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = key.KeyId,
                ["n"] = key.Modulus,
                ["e"] = key.Exponent,
            }),
        });
    }

    /// <summary>
    /// OpenID Connect Discovery 1.0 provider metadata, with every field the specification requires (issuer,
    /// authorization_endpoint, token_endpoint, jwks_uri, response_types_supported, subject_types_supported,
    /// id_token_signing_alg_values_supported) and the Entra fields MSAL reads (tenant_region_scope,
    /// cloud_instance_name, ...). The values are Entra's; the authorize endpoint refuses interactive flows (only client
    /// credentials are served), which MSAL's confidential clients never call. The v1 document (the tenant's root) names
    /// the v1 issuer and the v1 keys address, as Entra's does; both key sets are the same keys.
    /// </summary>
    private static IResult GetOpenIdConfiguration(HttpContext context, string tenant, string version)
    {
        var settings = context.RequestServices.GetRequiredService<EmulatorSettings>();
        if (!IsKnownTenant(settings, tenant))
        {
            return AadError(400, "invalid_tenant", 90002,
                $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }

        var root = settings.Endpoint.AbsoluteUri.TrimEnd('/');
        var tenantPath = $"{root}/{settings.TenantId}";
        return Results.Json(new JsonObject
        {
            ["issuer"] = version == TokenIssuer.Version1
                ? TokenIssuer.V1IssuerFor(settings.Endpoint, settings.TenantId)
                : TokenIssuer.IssuerFor(settings.Endpoint, settings.TenantId),
            ["authorization_endpoint"] = $"{tenantPath}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{tenantPath}/oauth2/v2.0/token",
            ["jwks_uri"] = version == TokenIssuer.Version1 ? $"{tenantPath}/discovery/keys" : $"{tenantPath}/discovery/v2.0/keys",
            ["end_session_endpoint"] = $"{tenantPath}/oauth2/v2.0/logout",
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["grant_types_supported"] = new JsonArray("client_credentials"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "client_secret_basic"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nbf", "oid", "tid", "appid", "azp",
                "roles"),
            ["request_uri_parameter_supported"] = false,
            ["frontchannel_logout_supported"] = true,
            ["http_logout_supported"] = true,
            ["tenant_region_scope"] = "NA",
            ["cloud_instance_name"] = settings.Endpoint.Authority,
            ["cloud_graph_host_name"] = settings.Endpoint.Authority,
            ["msgraph_host"] = settings.Endpoint.Authority,
        });
    }

    /// <summary>
    /// Entra's instance discovery answer for this host, for clients told to ask the emulator (MSAL asks
    /// login.microsoftonline.com itself unless instance discovery is disabled, which is what to do with an emulator).
    /// </summary>
    private static IResult GetInstanceDiscovery(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<EmulatorSettings>();
        var host = settings.Endpoint.Authority;
        return Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{settings.Endpoint.AbsoluteUri}{settings.TenantId}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = host,
                ["preferred_cache"] = host,
                ["aliases"] = new JsonArray(host),
            }),
        });
    }

    private static IResult RefuseInteractive(HttpContext context, string tenant)
    {
        var settings = context.RequestServices.GetRequiredService<EmulatorSettings>();
        return IsKnownTenant(settings, tenant)
            ? AadError(400, "unsupported_response_type", 700054,
                "The emulator's token service serves the client credentials grant only; interactive sign-in is not available.")
            : AadError(400, "invalid_tenant", 90002, $"Tenant '{tenant}' not found.");
    }

    /// <summary>The tenant by id, or the aliases Entra accepts for multi-tenant discovery.</summary>
    private static bool IsKnownTenant(EmulatorSettings settings, string tenant) =>
        (Guid.TryParse(tenant, out var id) && id == settings.TenantId) ||
        tenant is "common" or "organizations";

    private static IResult AadError(int status, string error, int code, string description) =>
        Results.Json(new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        }, statusCode: status);
}
