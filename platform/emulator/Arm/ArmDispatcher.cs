using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Emulator.Arm;

/// <summary>
/// The Resource Manager front door, in Azure's order: authenticate, match the route, check the api-version,
/// the subscription, RBAC, provider registration, the resource group, locks; then run the handler. Every
/// refusal is an <see cref="ArmErrorException"/> written as Azure's error envelope.
/// </summary>
internal sealed class ArmDispatcher(IEnumerable<IArmRouteSource> sources, TokenValidator tokens, ArmServices services,
    StateGate gate,
    Monitoring.AuditTrail audit, EventGrid.ResourceEvents events, ILogger<ArmDispatcher> logger)
{
    public const string CallerItem = "emulator.caller";

    private readonly IReadOnlyList<ArmRoute> routes = sources.SelectMany(source => source.Routes).ToList();
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task InvokeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var started = services.Settings.HostClock.GetTimestamp();
        (string VaultId, string Operation, string ApiVersion, IReadOnlyList<string> Targets)? audited = null;
        CallerIdentity? auditCaller = null;
        try
        {
            var caller = await tokens.ValidateAsync(context.Request.Headers.Authorization.ToString(),
                TokenValidator.ManagementAudiences);
            context.Items[CallerItem] = caller;
            context.Request.Path = CanonicalPath(context.Request.Path.Value ?? "/");
            var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
            var (route, match) = FindRoute(path, context.Request.Method);
            var apiVersion = CheckApiVersion(route, context.Request.Query["api-version"].ToString());
            var request = new ArmRequest(context, match, caller, apiVersion);
            auditCaller = caller;
            if (AuditedVault(route, request) is { } audit1)
            {
                audited = (audit1.VaultId, audit1.Operation, apiVersion,
                    await audit.TargetsAsync(audit1.VaultId, cancellationToken));
            }

            ArmResponse response;
            using (await gate.EnterAsync(context.Request.Method, cancellationToken))
            {
                await AdmitAsync(route, request, cancellationToken);
                response = await route.Handler(request, cancellationToken);
            }

            await WriteAsync(context, response, cancellationToken);
            await RaiseEventAsync(context, route, request, response, cancellationToken);
        }
        catch (ArmErrorException error)
        {
            await WriteErrorAsync(context, error, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or InvalidCastException or KeyNotFoundException)
        {
            await WriteErrorAsync(context, ArmErrors.InvalidRequestContent(ex.Message), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logs.UnhandledError(logger, ex, context.Request.Method, context.Request.Path.Value ?? "/");
            await WriteErrorAsync(context, ArmErrors.InternalError(), cancellationToken);
        }

        if (audited is { } a)
        {
            await audit.WriteAsync(a.Targets, context, a.VaultId, a.Operation, a.ApiVersion, auditCaller,
                services.Settings.HostClock.GetElapsedTime(started), CancellationToken.None);
        }
    }

    /// <summary>
    /// The path as Resource Manager reads it: a scope the SDKs percent-encode (<c>%2F</c>, which the server leaves
    /// encoded) is decoded, and empty segments are dropped, so an empty parent resource path
    /// (<c>.../providers/Microsoft.KeyVault//vaults/kv1/...</c>) means no parent.
    /// </summary>
    public static string CanonicalPath(string path)
    {
        var decoded = path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return "/" + string.Join('/', decoded.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Resource Manager's events for successful writes and deletes (a delete of nothing, 204, raises none).
    /// </summary>
    private Task RaiseEventAsync(HttpContext context, ArmRoute route, ArmRequest request, ArmResponse response,
        CancellationToken cancellationToken)
    {
        var method = context.Request.Method.ToUpperInvariant();
        if (response.Status is not (200 or 201 or 202) || method is not ("PUT" or "PATCH" or "DELETE"))
        {
            return Task.CompletedTask;
        }

        var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}";
        var correlation = context.Response.Headers["x-ms-correlation-request-id"].ToString();
        var resourceId = response.Body is System.Text.Json.Nodes.JsonObject body && (string?)body["id"] is { } id && id.Equals(request.Path, StringComparison.OrdinalIgnoreCase)
            ? id
            : request.Path;
        return method == "DELETE"
            ? events.ResourceDeletedAsync(resourceId, route.Action, request.Caller, method, url, correlation,
                cancellationToken)
            : events.ResourceWrittenAsync(resourceId, route.Action, request.Caller, method, url, correlation,
                cancellationToken);
    }

    /// <summary>
    /// Vault operations that Key Vault's audit log records (VaultGet, VaultPut, VaultPatch, VaultDelete).
    /// </summary>
    private static (string VaultId, string Operation)? AuditedVault(ArmRoute route, ArmRequest request)
    {
        if (!string.Equals(route.ResourceType, Handlers.VaultLifecycle.VaultType,
            StringComparison.OrdinalIgnoreCase) || request["name"].Length == 0 || request["rg"].Length == 0)
        {
            return null;
        }

        var vaultId = $"/subscriptions/{request["sub"]}/resourceGroups/{request["rg"]}/providers/Microsoft.KeyVault/vaults/{request["name"]}";
        var operation = request.Context.Request.Method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" => "VaultGet",
            "PUT" when request["op"].Length > 0 => "VaultPatch",
            "PUT" => "VaultPut",
            "PATCH" => "VaultPatch",
            _ => "VaultDelete",
        };
        return (vaultId, operation);
    }

    private (ArmRoute Route, System.Text.RegularExpressions.Match Match) FindRoute(string path, string method)
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
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase) ||
                (method == HttpMethods.Head && route.Method == HttpMethods.Get))
            {
                return (route, match);
            }
        }

        if (pathMatched)
        {
            throw ArmErrors.HttpMethodNotAllowed(method);
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (segments.Length > 0 && segments[0].Equals("subscriptions",
            StringComparison.OrdinalIgnoreCase) && providers >= 0 && providers + 1 < segments.Length)
        {
            var ns = segments[providers + 1];
            if (!ProviderCatalog.Providers.ContainsKey(ns))
            {
                throw ArmErrors.InvalidResourceNamespace(ns);
            }

            var type = providers + 2 < segments.Length ? segments[providers + 2] : string.Empty;
            throw ArmErrors.InvalidResourceType(type, ns, null);
        }

        throw ArmErrors.PathNotFound(path);
    }

    private string CheckApiVersion(ArmRoute route, string apiVersion)
    {
        var supported = ProviderCatalog.VersionsOf(route.ResourceType);
        if (string.IsNullOrEmpty(apiVersion))
        {
            throw ArmErrors.MissingApiVersion();
        }

        if (supported.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
        {
            return apiVersion;
        }

        var wellFormed = System.Text.RegularExpressions.Regex.IsMatch(apiVersion,
            @"^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha)?$",
            System.Text.RegularExpressions.RegexOptions.None, PatternTimeout.Value);
        if (!wellFormed || ProviderCatalog.IsResourcesType(route.ResourceType))
        {
            throw ArmErrors.InvalidApiVersion(apiVersion, supported);
        }

        var type = route.ResourceType[(route.ResourceType.IndexOf('/', StringComparison.Ordinal) + 1)..];
        throw ArmErrors.NoRegisteredProviderFound(services.Settings.DefaultLocation, apiVersion, type, supported,
            ProviderCatalog.Locations);
    }

    private async Task AdmitAsync(ArmRoute route, ArmRequest request, CancellationToken cancellationToken)
    {
        var scope = request["scope"];
        var subscriptionId = request["sub"] is { Length: > 0 } sub ? sub : ScopePath.SubscriptionOf(scope);
        JsonObject? subscription = null;
        if (subscriptionId is not null)
        {
            subscription = await services.Store.GetAsync(Collections.Subscriptions, subscriptionId, cancellationToken)
                ?? throw ArmErrors.SubscriptionNotFound(subscriptionId);
        }

        var action = route.Action.Replace("{ns}", request["ns"], StringComparison.Ordinal);
        if (action.Length > 0 && !await services.Roles.IsAllowedAsync(request.Caller.ObjectId, request.Path, action,
            cancellationToken))
        {
            throw ArmErrors.AuthorizationFailed(request.Caller.ObjectId, action, request.Path);
        }

        var ns = route.ResourceType[..route.ResourceType.IndexOf('/', StringComparison.Ordinal)];
        if (subscription is not null && !ProviderCatalog.IsResourcesType(route.ResourceType) &&
            !ProviderCatalog.AlwaysRegistered.Contains(ns, StringComparer.OrdinalIgnoreCase) &&
            !string.Equals((string?)subscription["registrationState"]?[ns], "Registered",
                StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.MissingSubscriptionRegistration(ns);
        }

        var resourceGroup = request["rg"] is { Length: > 0 } rg ? rg : ScopePath.ResourceGroupOf(scope);
        if (resourceGroup is not null && subscriptionId is not null && route.ResourceType != "Microsoft.Resources/resourceGroups" &&
            !await services.Resources.ResourceGroupExistsAsync(subscriptionId, resourceGroup, cancellationToken))
        {
            throw ArmErrors.ResourceGroupNotFound(resourceGroup);
        }

        if (scope.Contains("/providers/",
            StringComparison.OrdinalIgnoreCase) && await services.Resources.GetAsync(scope, cancellationToken) is null)
        {
            throw ArmErrors.ParentResourceNotFound(scope);
        }

        switch (route.Lock)
        {
            case LockCheck.Delete:
                await services.Locks.EnsureCanDeleteAsync(request.Path, cancellationToken);
                break;
            case LockCheck.Write:
                await services.Locks.EnsureCanWriteAsync(request.Path, cancellationToken);
                break;
        }
    }

    public static async Task WriteAsync(HttpContext context, ArmResponse response, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        AddCommonHeaders(context);
        if (response.Body is not null && context.Request.Method != HttpMethods.Head)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(response.Body.ToJsonString(WireJson), cancellationToken);
        }
    }

    public static async Task WriteErrorAsync(HttpContext context, ArmErrorException error,
        CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }

        AddCommonHeaders(context);
        context.Response.ContentType = "application/json; charset=utf-8";
        var envelope = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        if (error.InnerCode is not null)
        {
            envelope["innererror"] = new JsonObject { ["code"] = error.InnerCode };
        }

        var body = new JsonObject { ["error"] = envelope };
        await context.Response.WriteAsync(body.ToJsonString(WireJson), cancellationToken);
    }

    private static void AddCommonHeaders(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-ms-request-id"] = requestId;
        context.Response.Headers["x-ms-correlation-request-id"] =
            context.Request.Headers.TryGetValue("x-ms-correlation-request-id",
                out var correlation) ? correlation.ToString() : requestId;
    }
}
