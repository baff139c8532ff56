using System.Net;
using System.Security.Cryptography;
using EdgeKv.Emulator.Admin;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.EventGrid;
using EdgeKv.Emulator.Identity;
using EdgeKv.Emulator.KeyVault;
using EdgeKv.Emulator.Monitoring;
using EdgeKv.Emulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeKv.Emulator;

/// <summary>Starts the Azure emulator in-process: HTTPS Resource Manager, token service, admin API.</summary>
public static class AzureEmulator
{
    public static async Task<RunningEmulator> StartAsync(EmulatorOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var folder = Path.GetFullPath(options.DataFolder);
        Hosting.OwnerOnlyFile.CreateFolder(folder);
        var certificate = EmulatorCertificate.LoadOrCreate(folder);
        var signingKey = SigningKey.LoadOrCreate(folder);
        var store = await SqliteDocumentStore.OpenAsync(Path.Combine(folder, "emulator.db"), cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port == 0 ? FreePort.Find() : options.Port;
            var identityPort = options.IdentityPort == 0 ? FreePort.Find() : options.IdentityPort;
            try
            {
                return await StartAsync(options, folder, certificate, signingKey, store, port, identityPort,
                    cancellationToken);
            }
            catch (IOException) when (attempt < 3 && (options.Port == 0 || options.IdentityPort == 0))
            {
                // A free port was taken between finding it and binding it: try other ports.
            }
            catch
            {
                await store.DisposeAsync();
                signingKey.Dispose();
                throw;
            }
        }
    }

    private static async Task<RunningEmulator> StartAsync(EmulatorOptions options, string folder,
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate,
        SigningKey signingKey, SqliteDocumentStore store, int port, int identityPort,
        CancellationToken cancellationToken)
    {
        var settings = new EmulatorSettings(
            new Uri($"https://127.0.0.1:{port}/"),
            new Uri($"http://127.0.0.1:{identityPort}{TokenServiceApi.ManagedIdentityPath}"),
            options.TenantId, options.SubscriptionId, options.DefaultLocation, options.Principals,
            options.LongRunningOperationDuration, options.RetryAfter, options.AutoPurgeDelay,
            options.AdminKey ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), options.TimeProvider)
        {
            Roles = new RoleCatalog(options.CustomRoles),
        };
        var clock = new EmulatorClock(options.TimeProvider);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmulatorHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, identityPort);
            kestrel.Listen(VaultConnectionTransport.Ports,
                listen => listen.UseHttps(certificate)); // every vault's port
        });
        AddServices(builder.Services, settings, clock, store, signingKey, certificate, options);

        var app = builder.Build();
        app.Use((context, next) => ServeAsync(context, next, identityPort));
        app.UseRouting(); // after ServeAsync: a vault port's requests are routed by their rewritten path
        app.MapTokenServiceApi();
        app.MapAdminApi();
        app.Map("/blob/{account}/{**path}", (HttpContext context, string account, string? path) =>
            context.RequestServices.GetRequiredService<BlobApi>().InvokeAsync(context, account,
                (path ?? string.Empty).Trim('/'),
                $"{context.RequestServices.GetRequiredService<EmulatorSettings>().Endpoint.AbsoluteUri}blob/{account}/"));
        app.Map("/storage/{account}/blob/{**path}", (HttpContext context, string account, string? path) =>
            context.RequestServices.GetRequiredService<BlobApi>().InvokeAsync(context, account,
                (path ?? string.Empty).Trim('/'),
                $"{context.RequestServices.GetRequiredService<EmulatorSettings>().Endpoint.AbsoluteUri}storage/{account}/blob/"));
        app.Map("/vaults/{vault}/{**path}", (HttpContext context, string vault, string? path) =>
            context.RequestServices.GetRequiredService<KeyVaultDispatcher>().InvokeAsync(context, vault,
                "/" + (path ?? string.Empty).Trim('/')));
        app.MapFallback("{**path}",
            context => context.RequestServices.GetRequiredService<ArmDispatcher>().InvokeAsync(context));

        try
        {
            await EmulatorSeeder.SeedAsync(store, app.Services.GetRequiredService<ResourceRepository>(), settings,
                options.RegisteredProviders,
                options.AdditionalSubscriptions, clock, cancellationToken);
            await app.StartAsync(cancellationToken);
            await RestoreVaultListenersAsync(app.Services, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        Logs.Started(loggerFactory.CreateLogger(typeof(AzureEmulator).FullName!), settings.Endpoint,
            settings.IdentityEndpoint, folder);
        return new RunningEmulator(app, store, certificate, settings, folder,
            app.Services.GetRequiredService<VaultAccessAuthorizer>());
    }

    /// <summary>
    /// Reopens each vault's listener on its saved port; a vault whose port could not be had again (or that predates
    /// per-vault ports) has its <c>vaultUri</c> rewritten to the port it now answers on.
    /// </summary>
    private static async Task RestoreVaultListenersAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var listeners = services.GetRequiredService<VaultListeners>();
        var resources = services.GetRequiredService<ResourceRepository>();
        var deleted = await services.GetRequiredService<IDocumentStore>().ListAsync(Collections.DeletedVaults,
            cancellationToken);
        await listeners.RestoreAsync(deleted.Select(d => (string)d["vault"]!["name"]!), cancellationToken);
        foreach (var vault in await resources.ListAsync(VaultLifecycle.VaultType, cancellationToken))
        {
            var uri = (await listeners.EnsureAsync((string)vault["name"]!, cancellationToken)).AbsoluteUri;
            if (vault["properties"] is System.Text.Json.Nodes.JsonObject properties && (string?)properties["vaultUri"] != uri)
            {
                properties["vaultUri"] = uri;
                await resources.PutAsync(vault, cancellationToken);
            }
        }
    }

    private static void Validate(EmulatorOptions options)
    {
        if (options.Port is < 0 or > 65535 || options.IdentityPort is < 0 or > 65535)
        {
            throw new ArgumentException("Ports must be between 0 and 65535.", nameof(options));
        }

        if (options.Principals.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != options.Principals.Count ||
            options.Principals.Select(p => p.ClientId).Distinct().Count() != options.Principals.Count ||
            options.Principals.Select(p => p.ObjectId).Distinct().Count() != options.Principals.Count)
        {
            throw new ArgumentException("Principal names, client ids and object ids must be unique.", nameof(options));
        }

        if (!Guid.TryParse(options.SubscriptionId,
            out _) || options.AdditionalSubscriptions.Any(s => !Guid.TryParseExact(s, "D", out _)))
        {
            throw new ArgumentException("Subscription ids must be GUIDs.", nameof(options));
        }

        if (options.EventDeliveryMaxAttempts < 1 || options.EventDeliveryRetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("Event delivery needs at least one attempt and a non-negative retry delay.",
                nameof(options));
        }

        if (options.VaultRequestLimit < 1 || options.VaultRequestWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("The vault request limit and window must be positive.", nameof(options));
        }

        if (options.LongRunningOperationDuration < TimeSpan.Zero || options.RetryAfter < TimeSpan.Zero || options.TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("Durations must not be negative.", nameof(options));
        }
    }

    private static void AddServices(IServiceCollection services, EmulatorSettings settings, EmulatorClock clock,
        SqliteDocumentStore store,
        SigningKey signingKey, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate,
        EmulatorOptions options)
    {
        services.AddSingleton(settings);
        services.AddSingleton(clock);
        services.AddSingleton<IDocumentStore>(store);
        services.AddSingleton(signingKey);
        services.AddSingleton(certificate);
        services.AddSingleton(new TokenIssuer(signingKey, settings.Endpoint, settings.TenantId, options.TimeProvider,
            options.TokenLifetime));
        services.AddSingleton(new TokenValidator(signingKey,
            [TokenIssuer.IssuerFor(settings.Endpoint, settings.TenantId),
                TokenIssuer.V1IssuerFor(settings.Endpoint, settings.TenantId)], settings.TenantId,
                options.TimeProvider));
        services.AddSingleton(sp => new ManagedIdentityRegistry(sp.GetRequiredService<IDocumentStore>(),
            settings.TenantId));
        services.AddSingleton<PrincipalDirectory>();
        services.AddSingleton<ResourceRepository>();
        services.AddSingleton<LockGuard>();
        services.AddSingleton(settings.Roles);
        services.AddSingleton<RoleDefinitionDirectory>();
        services.AddSingleton<RoleAuthorizer>();
        services.AddSingleton<ArmServices>();
        services.AddSingleton<VaultLifecycle>();
        services.AddSingleton(sp => new VaultAccessAuthorizer(sp.GetRequiredService<IDocumentStore>()));
        services.AddSingleton(sp => new FaultInjector(options.FaultSeed, options.TimeProvider,
            sp.GetRequiredService<ILogger<FaultInjector>>()));
        services.AddSingleton<RequestLog>();
        services.AddSingleton<IArmRouteSource, SubscriptionsApi>();
        services.AddSingleton<IArmRouteSource, GenericResourcesApi>();
        services.AddSingleton<IArmRouteSource, ProvidersApi>();
        services.AddSingleton<IArmRouteSource, ResourceGroupsApi>();
        services.AddSingleton<IArmRouteSource, LocksApi>();
        services.AddSingleton<IArmRouteSource, RoleAssignmentsApi>();
        services.AddSingleton<IArmRouteSource, RoleDefinitionsApi>();
        services.AddSingleton<IArmRouteSource, DiagnosticSettingsApi>();
        services.AddSingleton<VaultMetrics>();
        services.AddSingleton<IArmRouteSource, MetricsApi>();
        services.AddSingleton<IArmRouteSource, VaultsApi>();
        services.AddSingleton<IArmRouteSource, DeletedVaultsApi>();
        services.AddSingleton<IArmRouteSource, StorageAccountsApi>();
        services.AddSingleton<IArmRouteSource, BlobContainersApi>();
        services.AddSingleton<IArmRouteSource, EdgeDevicesApi>();
        services.AddSingleton<IArmRouteSource, EdgeDeviceExtendedInfoApi>();
        services.AddSingleton<IArmRouteSource, UserAssignedIdentitiesApi>();
        services.AddSingleton(sp => new IdentityHostRegistry(sp.GetRequiredService<IDocumentStore>()));
        services.AddSingleton<VaultObjectStore>();
        services.AddSingleton(sp => new VaultThrottle(options.VaultRequestLimit, options.VaultRequestWindow, clock));
        services.AddSingleton<WebhookClient>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton(new EventDeliverySettings(options.EventDeliveryMaxAttempts,
            options.EventDeliveryRetryDelay, options.TimeProvider));
        services.AddSingleton<EventGridPublisher>();
        services.AddSingleton<ResourceEvents>();
        services.AddSingleton<SecretExpiryEvents>();
        services.AddSingleton<IArmRouteSource, EventSubscriptionsApi>();
        services.AddSingleton<BlobStore>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<BlobApi>();
        services.AddSingleton<IKeyVaultRouteSource, SecretsApi>();
        services.AddSingleton<KeysApi>();
        services.AddSingleton<IKeyVaultRouteSource, KeyCryptoApi>();
        services.AddSingleton<IKeyVaultRouteSource>(sp => sp.GetRequiredService<KeysApi>());
        services.AddSingleton<KeyVaultDispatcher>();
        services.AddSingleton<VaultListeners>();
        services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, VaultConnectionTransport>();
        services.AddSingleton<StateGate>();
        services.AddSingleton<ArmDispatcher>();
    }

    /// <summary>
    /// Faults and the request log around every non-admin request; the identity port serves only the managed-identity
    /// endpoint.
    /// </summary>
    private static async Task ServeAsync(HttpContext context, RequestDelegate next, int identityPort)
    {
        if (context.Connection.LocalPort == identityPort && !context.Request.Path.StartsWithSegments(TokenServiceApi.ManagedIdentityPath))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (context.RequestServices.GetRequiredService<VaultListeners>().VaultAt(context.Connection.LocalPort) is { } vault)
        {
            // A vault's own port: it serves that vault's data plane, as /vaults/NAME/ on the main port.
            context.Items[VaultListeners.OriginalPathItem] = context.Request.Path;
            context.Request.Path = new PathString($"/vaults/{vault}").Add(context.Request.Path);
        }
        else if (context.Request.Path.StartsWithSegments("/admin"))
        {
            await next(context);
            return;
        }

        var faults = context.RequestServices.GetRequiredService<FaultInjector>();
        if (!await faults.ApplyAsync(context))
        {
            await next(context);
        }

        var caller = context.Items.TryGetValue(ArmDispatcher.CallerItem,
            out var item) ? (item as CallerIdentity)?.ObjectId : null;
        context.RequestServices.GetRequiredService<RequestLog>().Add(new RequestLogEntry(
            context.RequestServices.GetRequiredService<EmulatorClock>().GetUtcNow(), context.Request.Method,
            context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty,
            context.Response.StatusCode, caller));
    }
}
