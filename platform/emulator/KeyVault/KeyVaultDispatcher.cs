using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// The Key Vault data plane's front door for <c>/vaults/{vault}/...</c>, in Azure's order: the bearer challenge (before
/// the body is read), the api-version, the token (vault audience), the vault, the per-vault throttle, the route, the
/// permission (access policy, or Azure RBAC for a vault on it); then the handler. Every refusal is Key Vault's error
/// envelope.
/// </summary>
internal sealed class KeyVaultDispatcher(
    IEnumerable<IKeyVaultRouteSource> sources, TokenValidator tokens, ResourceRepository resources,
    VaultAccessAuthorizer access, RoleAuthorizer roles,
    VaultThrottle throttle, StateGate gate, EmulatorSettings settings, AuditTrail audit, VaultMetrics metrics,
    VaultListeners listeners, ILogger<KeyVaultDispatcher> logger)
{
    public static readonly IReadOnlyList<string> VaultAudiences = ["https://vault.azure.net",
        "https://vault.azure.net/"];

    private readonly IReadOnlyList<KeyVaultRoute> routes = sources.SelectMany(source => source.Routes).ToList();

    public async Task InvokeAsync(HttpContext context, string vaultName, string path)
    {
        var cancellationToken = context.RequestAborted;
        var started = settings.HostClock.GetTimestamp();
        KeyVaultRoute? route = null;
        CallerIdentity? caller = null;
        System.Text.Json.Nodes.JsonObject? audited = null;
        IReadOnlyList<string> auditTargets = [];
        string? apiVersion = null;
        try
        {
            if (string.IsNullOrWhiteSpace(context.Request.Headers.Authorization.ToString()))
            {
                throw KeyVaultErrors.MissingToken(settings.Endpoint, settings.TenantId);
            }

            apiVersion = context.Request.Query["api-version"].FirstOrDefault() ?? string.Empty;
            if (string.IsNullOrEmpty(apiVersion))
            {
                throw KeyVaultErrors.MissingApiVersion();
            }

            if (!KeyVaultApiVersions.IsSupported(apiVersion))
            {
                throw KeyVaultErrors.UnknownApiVersion(apiVersion);
            }

            caller = await AuthenticateAsync(context.Request.Headers.Authorization.ToString());
            context.Items[ArmDispatcher.CallerItem] = caller;
            var vault = await resources.FindByNameAsync(Arm.Handlers.VaultLifecycle.VaultType, vaultName,
                cancellationToken)
                ?? throw KeyVaultErrors.VaultNotFound(vaultName);
            audited = vault;
            auditTargets = await audit.TargetsAsync((string)vault["id"]!, cancellationToken);
            if (throttle.TryAdmit(vaultName) is { } retryAfter)
            {
                throw KeyVaultErrors.Throttled(retryAfter);
            }

            Match match;
            (route, match) = FindRoute(path, context.Request.Method);
            await AuthorizeAsync(vault, caller, route, path, cancellationToken);

            var request = new KeyVaultRequest(context, match, caller, apiVersion, vault,
                await listeners.EnsureAsync((string)vault["name"]!, cancellationToken));
            ArmResponse response;
            using (await gate.EnterAsync(context.Request.Method, cancellationToken))
            {
                response = await route.Handler(request, cancellationToken);
            }

            await ArmDispatcher.WriteAsync(context, response, cancellationToken);
        }
        catch (ArmErrorException error)
        {
            await ArmDispatcher.WriteErrorAsync(context, error, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or InvalidCastException or KeyNotFoundException)
        {
            await ArmDispatcher.WriteErrorAsync(context,
                KeyVaultErrors.BadParameter($"The request is invalid: {ex.Message}"), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.UnhandledError(logger, ex, context.Request.Method, context.Request.Path.Value ?? "/");
            await ArmDispatcher.WriteErrorAsync(context, KeyVaultErrors.InternalError(), cancellationToken);
        }

        if (audited is not null)
        {
            // Azure Monitor's ActivityType is the object kind in the singular (secret, key) and ActivityName the
            // operation, lower-cased.
            metrics.Record((string)audited["id"]!, (route?.Kind ?? "vault").TrimEnd('s'),
                (route?.OperationName ?? "Unknown").ToLowerInvariant(),
                context.Response.StatusCode, settings.HostClock.GetElapsedTime(started));
            await audit.WriteAsync(auditTargets, context, (string)audited["id"]!, route?.OperationName ?? "Unknown",
                apiVersion, caller,
                settings.HostClock.GetElapsedTime(started), CancellationToken.None);
        }
    }

    /// <summary>
    /// The vault's permission model decides: on Azure RBAC (<c>enableRbacAuthorization</c>) a role assignment at the
    /// object, the vault or above must grant the operation's data action, and access policies are ignored; otherwise
    /// the caller's access policy must hold the permission.
    /// </summary>
    private async Task AuthorizeAsync(System.Text.Json.Nodes.JsonObject vault, CallerIdentity caller,
        KeyVaultRoute route, string path, CancellationToken cancellationToken)
    {
        var callerText = new CallerText(caller.AppId, caller.ObjectId,
            TokenIssuer.IssuerFor(settings.Endpoint, settings.TenantId));
        var vaultName = (string)vault["name"]!;
        var location = (string?)vault["location"] ?? settings.DefaultLocation;
        if ((bool?)vault["properties"]?["enableRbacAuthorization"] == true)
        {
            var action = KeyVaultDataActions.For(route);
            var resource = KeyVaultDataActions.ResourceOf((string)vault["id"]!, path);
            if (!await roles.IsDataActionAllowedAsync(caller.ObjectId, resource, action, cancellationToken))
            {
                throw KeyVaultErrors.ForbiddenByRbac(callerText, action, resource, vaultName, location);
            }

            return;
        }

        if (!await access.HasPermissionAsync(vaultName, caller.ObjectId, route.Kind, route.Permission,
            cancellationToken))
        {
            throw KeyVaultErrors.Forbidden(callerText, route.Kind, route.Permission, vaultName, location);
        }
    }

    private async Task<CallerIdentity> AuthenticateAsync(string authorization)
    {
        try
        {
            return await tokens.ValidateAsync(authorization, VaultAudiences);
        }
        catch (ArmErrorException error)
        {
            var message = error.Code switch
            {
                "InvalidAuthenticationTokenAudience" => "AKV10022: Invalid audience. Expected https://vault.azure.net.",
                "ExpiredAuthenticationToken" => "AKV10021: The access token has expired.",
                "InvalidAuthenticationTokenTenant" => "AKV10032: Invalid issuer.",
                _ => "AKV10013: Invalid token.",
            };
            throw KeyVaultErrors.InvalidToken(settings.Endpoint, settings.TenantId, message);
        }
    }

    private (KeyVaultRoute Route, Match Match) FindRoute(string path, string method)
    {
        var pathMatched = false;
        foreach (var route in routes)
        {
            var match = route.Pattern.Match(path);
            if (!match.Success)
            {
                continue;
            }

            pathMatched = true;
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                return (route, match);
            }
        }

        throw pathMatched ? KeyVaultErrors.MethodNotAllowed(method) : KeyVaultErrors.PathNotFound(path);
    }
}
