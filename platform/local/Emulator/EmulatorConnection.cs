using System.Collections.Concurrent;
using System.Text.Json;
using EdgeKv.Activities;
using EdgeKv.Azure;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;
using EdgeKv.Functions.AzureConnection;
using EdgeKv.Records;
using Microsoft.Extensions.Options;

namespace EdgeKv.Local.Emulator;

/// <summary>
/// Local mode's Azure: starts the emulator in-process (data under <c>{DataPath}/emulator</c>) or joins a running one,
/// and signs in as the emulator's <c>edgekv-service</c> principal (in-process: with exactly the roles
/// <c>infra/main.bicep</c> grants EdgeKv's identity, <see cref="InfraTemplateRoles"/>). The Azure app's start-up
/// (<c>AzureStartupService</c>) calls it in emulator mode, before the durable worker, so activities find it.
/// </summary>
public sealed partial class EmulatorConnection(
    IOptions<EmulatorSettings> emulatorSettings,
    IOptions<EdgeKv.Activities.Activation.VaultPermissionSettings> vaultPermissions,
    LocalDataPath dataPath,
    ILoggerFactory loggerFactory,
    ILogger<EmulatorConnection> logger) : IEmulatedAzure, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, AppServiceIdentityCredential> identities = new(StringComparer.Ordinal);
    private EmulatorAdminClient? externalAdmin;

    /// <summary>The in-process emulator (local mode without an external endpoint); null otherwise.</summary>
    public RunningEmulator? Emulator { get; private set; }

    public async Task<EmulatedAzureConnection> ConnectAsync(EdgeKvAzureSettings settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EmulatorSettings e = emulatorSettings.Value;
        Uri endpoint;
        string thumbprint;
        Guid tenant;
        string subscription;
        EmulatorAdminClient admin;
        if (e.EmulatorEndpoint is null)
        {
            Emulator = await AzureEmulator.StartAsync(new EmulatorOptions
            {
                DataFolder = Path.Combine(dataPath.Path, "emulator"),
                Port = e.EmulatorPort,
                IdentityPort = e.EmulatorIdentityPort,
                LongRunningOperationDuration = e.EmulatorLongRunningOperation,
                RetryAfter = e.EmulatorRetryAfter,
                AdminKey = string.IsNullOrEmpty(e.EmulatorAdminKey) ? null : e.EmulatorAdminKey,
                DefaultLocation = settings.Location,
                AdditionalSubscriptions = [.. e.EmulatorFleetSubscriptions],
                LoggerFactory = loggerFactory,
            }.WithTemplateRoles(settings.ResourceGroup, fleet: e.EmulatorFleetSubscriptions.Count > 0,
                vaultRbac: vaultPermissions.Value.UsesRbac));
            (endpoint, thumbprint, tenant, subscription, admin) = (Emulator.Endpoint, Emulator.CertificateThumbprint,
                Emulator.TenantId, Emulator.SubscriptionId, Emulator.Admin);
            await WriteConnectionFileAsync(Emulator, cancellationToken);
            LogEmulatorStarted(logger, endpoint, Path.Combine(dataPath.Path, "emulator", "connection.json"));
        }
        else
        {
            endpoint = e.EmulatorEndpoint;
            thumbprint = e.EmulatorCertificateThumbprint!;
            tenant = settings.TenantId ?? EmulatorOptions.DefaultTenantId;
            subscription = settings.SubscriptionId ?? EmulatorOptions.DefaultSubscription;
            admin = externalAdmin = new EmulatorAdminClient(endpoint, e.EmulatorAdminKey!, thumbprint);
            LogEmulatorJoined(logger, endpoint);
        }

        var service = EmulatorPrincipals.CreateDefaults().First(p => p.Name == "edgekv-service");
        var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = string.IsNullOrEmpty(settings.SubscriptionId) ? subscription : settings.SubscriptionId,
            TenantId = tenant,
            EmulatorEndpoint = endpoint,
            EmulatorCertificateThumbprint = thumbprint,
            ClientId = settings.ClientId ?? service.ClientId.ToString(),
            ClientSecret = settings.ClientSecret ?? service.ClientSecret,
            MaxRetries = settings.MaxRetries,
            DefaultLocation = settings.Location,
        });
        return new EmulatedAzureConnection(factory, async (resourceId, ct) =>
        {
            ManagedIdentityInfo info = await admin.GetIdentityAsync(resourceId, ct)
                ?? throw new ActivationRefusedException("SystemAssignedIdentityMissing",
                    $"The resource '{resourceId}' has no managed identity.");
            return identities.GetOrAdd($"{info.Endpoint}|{info.Header}",
                _ => new AppServiceIdentityCredential(info.Endpoint, info.Header));
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (AppServiceIdentityCredential credential in identities.Values) credential.Dispose();
        externalAdmin?.Dispose();
        if (Emulator is not null) await Emulator.DisposeAsync();
    }

    /// <summary>
    /// Where a local operator (curl, the README walk-through) finds the emulator: endpoint, thumbprint, admin key.
    /// </summary>
    private static async Task WriteConnectionFileAsync(RunningEmulator emulator, CancellationToken cancellationToken)
    {
        string path = Path.Combine(emulator.DataFolder, "connection.json");
        string json = JsonSerializer.Serialize(new
        {
            endpoint = emulator.Endpoint,
            identityEndpoint = emulator.IdentityEndpoint,
            certificateThumbprint = emulator.CertificateThumbprint,
            tenantId = emulator.TenantId,
            subscriptionId = emulator.SubscriptionId,
            adminKey = emulator.AdminKey,
        }, new JsonSerializerOptions { WriteIndented = true });
        await OwnerOnlyFiles.WriteAllTextAsync(path, json, cancellationToken);
    }

    [LoggerMessage(2101, LogLevel.Information,
        "Local mode: Azure emulator started in-process at {Endpoint} (connection details in {ConnectionFile}).")]
    private static partial void LogEmulatorStarted(ILogger logger, Uri endpoint, string connectionFile);

    [LoggerMessage(2102, LogLevel.Information, "Local mode: using the Azure emulator at {Endpoint}.")]
    private static partial void LogEmulatorJoined(ILogger logger, Uri endpoint);
}
