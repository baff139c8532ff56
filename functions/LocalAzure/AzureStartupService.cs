using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure.Core;
using EdgeKv.Activities;
using EdgeKv.Azure;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;
using Microsoft.Extensions.Options;
using EdgeKv.Records;

namespace EdgeKv.Functions.LocalAzure;

/// <summary>
/// Connects EdgeKv to its Azure before anything else starts: in local mode it starts the emulator in-process (data under
/// <c>{DataPath}/emulator</c>) or joins a running one, signs in as the emulator's <c>edgekv-service</c> principal (in-process:
/// with exactly the roles <c>infra/main.bicep</c> grants EdgeKv's identity on the resource group, <see cref="InfraTemplateRoles"/>)
/// and makes sure the resource group exists; in Azure mode it uses the configured subscription and credential. It then
/// publishes the <see cref="AzureContext"/> activities and APIs wait for.
/// </summary>
internal sealed partial class AzureStartupService(
    IOptions<EdgeKvAzureSettings> settings,
    LocalDataPath dataPath,
    AzureContextProvider provider,
    ILoggerFactory loggerFactory,
    ILogger<AzureStartupService> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, AppServiceIdentityCredential> identities = new(StringComparer.Ordinal);
    private EmulatorAdminClient? externalAdmin;
    private EdgeKvAzureClientFactory? factory;

    /// <summary>The in-process emulator (local mode without an external endpoint); null otherwise.</summary>
    public RunningEmulator? Emulator { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            EdgeKvAzureSettings s = settings.Value;
            AzureContext context = s.Mode == AzureMode.Emulator ? await StartEmulatorModeAsync(s, cancellationToken) : await StartAzureModeAsync(s, cancellationToken);
            factory = context.Factory;
            provider.Set(context);
        }
        catch (Exception ex)
        {
            provider.Fail(ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (AppServiceIdentityCredential credential in identities.Values) credential.Dispose();
        externalAdmin?.Dispose();
        factory?.Dispose();
        if (Emulator is not null) await Emulator.DisposeAsync();
    }

    private async Task<AzureContext> StartEmulatorModeAsync(EdgeKvAzureSettings s, CancellationToken cancellationToken)
    {
        Uri endpoint;
        string thumbprint;
        Guid tenant;
        string subscription;
        EmulatorAdminClient admin;
        if (s.EmulatorEndpoint is null)
        {
            Emulator = await AzureEmulator.StartAsync(new EmulatorOptions
            {
                DataFolder = Path.Combine(dataPath.Path, "emulator"),
                Port = s.EmulatorPort,
                IdentityPort = s.EmulatorIdentityPort,
                LongRunningOperationDuration = s.EmulatorLongRunningOperation,
                RetryAfter = s.EmulatorRetryAfter,
                AdminKey = string.IsNullOrEmpty(s.EmulatorAdminKey) ? null : s.EmulatorAdminKey,
                DefaultLocation = s.Location,
                LoggerFactory = loggerFactory,
            }.WithTemplateRoles(s.ResourceGroup));
            (endpoint, thumbprint, tenant, subscription, admin) = (Emulator.Endpoint, Emulator.CertificateThumbprint, Emulator.TenantId, Emulator.SubscriptionId, Emulator.Admin);
            await WriteConnectionFileAsync(Emulator, cancellationToken);
            LogEmulatorStarted(logger, endpoint, Path.Combine(dataPath.Path, "emulator", "connection.json"));
        }
        else
        {
            endpoint = s.EmulatorEndpoint;
            thumbprint = s.EmulatorCertificateThumbprint!;
            tenant = s.TenantId ?? EmulatorOptions.DefaultTenantId;
            subscription = s.SubscriptionId ?? EmulatorOptions.DefaultSubscription;
            admin = externalAdmin = new EmulatorAdminClient(endpoint, s.EmulatorAdminKey!, thumbprint);
            LogEmulatorJoined(logger, endpoint);
        }

        var service = EmulatorPrincipals.CreateDefaults().First(p => p.Name == "edgekv-service");
        var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = string.IsNullOrEmpty(s.SubscriptionId) ? subscription : s.SubscriptionId,
            TenantId = tenant,
            EmulatorEndpoint = endpoint,
            EmulatorCertificateThumbprint = thumbprint,
            ClientId = s.ClientId ?? service.ClientId.ToString(),
            ClientSecret = s.ClientSecret ?? service.ClientSecret,
            MaxRetries = s.MaxRetries,
            DefaultLocation = s.Location,
        });
        await EnsureResourceGroupAsync(factory, s, cancellationToken);
        Guid objectId = s.ServiceObjectId ?? await ReadObjectIdAsync(factory, cancellationToken);
        return new AzureContext(factory, s.ResourceGroup, s.Location, objectId, async (resourceId, ct) =>
        {
            ManagedIdentityInfo info = await admin.GetIdentityAsync(resourceId, ct)
                ?? throw new ActivationRefusedException("SystemAssignedIdentityMissing", $"The resource '{resourceId}' has no managed identity.");
            return identities.GetOrAdd($"{info.Endpoint}|{info.Header}", _ => new AppServiceIdentityCredential(info.Endpoint, info.Header));
        });
    }

    private async Task<AzureContext> StartAzureModeAsync(EdgeKvAzureSettings s, CancellationToken cancellationToken)
    {
        var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Azure,
            Cloud = AzureCloud.Parse(s.Cloud, s.CustomCloud),
            SubscriptionId = s.SubscriptionId!,
            TenantId = s.TenantId,
            ClientId = s.ClientId,
            ClientSecret = s.ClientSecret,
            ManagedIdentityClientId = s.ManagedIdentityClientId,
            MaxRetries = s.MaxRetries,
            DefaultLocation = s.Location,
        });
        await EnsureResourceGroupAsync(factory, s, cancellationToken);
        Guid objectId = s.ServiceObjectId ?? await ReadObjectIdAsync(factory, cancellationToken);
        LogAzureMode(logger, s.SubscriptionId!, s.ResourceGroup, factory.Cloud.Name);

        // A resource's system-assigned identity issues tokens only inside the resource's own service: EdgeKv proves the
        // identity's grant instead of signing in as it (IdentityVaultGrant; docs/azure.md, "The device's identity").
        return new AzureContext(factory, s.ResourceGroup, s.Location, objectId, identityCredential: null);
    }

    private static async Task EnsureResourceGroupAsync(EdgeKvAzureClientFactory factory, EdgeKvAzureSettings s, CancellationToken cancellationToken)
    {
        var groups = factory.GetResourceGroupsClient();
        if (!await groups.ExistsAsync(s.ResourceGroup, cancellationToken)) await groups.CreateOrUpdateAsync(s.ResourceGroup, s.Location, cancellationToken);
    }

    /// <summary>EdgeKv's own object id, from the <c>oid</c> claim of its Resource Manager token.</summary>
    private static async Task<Guid> ReadObjectIdAsync(EdgeKvAzureClientFactory factory, CancellationToken cancellationToken)
    {
        AccessToken token = await factory.Credential.GetTokenAsync(new TokenRequestContext([factory.Cloud.ResourceManagerScope]), cancellationToken);
        string payload = token.Token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using JsonDocument claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return Guid.Parse(claims.RootElement.GetProperty("oid").GetString()!);
    }

    /// <summary>Where a local operator (curl, the README walk-through) finds the emulator: endpoint, thumbprint, admin key.</summary>
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

    [LoggerMessage(2101, LogLevel.Information, "Local mode: Azure emulator started in-process at {Endpoint} (connection details in {ConnectionFile}).")]
    private static partial void LogEmulatorStarted(ILogger logger, Uri endpoint, string connectionFile);

    [LoggerMessage(2102, LogLevel.Information, "Local mode: using the Azure emulator at {Endpoint}.")]
    private static partial void LogEmulatorJoined(ILogger logger, Uri endpoint);

    [LoggerMessage(2103, LogLevel.Information, "Azure mode: subscription {Subscription}, resource group {ResourceGroup}, cloud {Cloud}.")]
    private static partial void LogAzureMode(ILogger logger, string subscription, string resourceGroup, string cloud);
}

/// <summary>The host's data path (absolute): the task hub, EdgeKv's store, the signing key and the local emulator live under it.</summary>
public sealed record LocalDataPath(string Path);
