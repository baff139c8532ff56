using System.Net.Security;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.Identity;
using global::Azure.Monitor.Query;
using global::Azure.ResourceManager;
using global::Azure.Security.KeyVault.Secrets;
using global::Azure.Storage.Blobs;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Resources;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Azure;

/// <summary>
/// Builds the credential, transport and <see cref="ArmClient"/> for real Azure or the emulator from one
/// <see cref="EdgeKvAzureOptions"/>, and the typed clients over them. Clients share two transports (two connection
/// pools), so a client made per vault or per call reuses warm TLS connections instead of opening its own: one for
/// Resource Manager and sign-in (a few hosts, always busy), one for the data planes, where every vault and storage
/// account is a host of its own.
/// </summary>
public sealed class EdgeKvAzureClientFactory : IDisposable
{
    private readonly EdgeKvAzureOptions options;
    private readonly Lazy<TokenCredential> credential;
    private readonly Lazy<ArmClient> armClient;
    private readonly Lazy<HttpPipelineTransport> transport;
    private readonly Lazy<HttpPipelineTransport> dataPlaneTransport;

    public EdgeKvAzureClientFactory(EdgeKvAzureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == AzureMode.Emulator &&
            (options.EmulatorEndpoint is null || options.EmulatorCertificateThumbprint is null || options.TenantId is null ||
             (options.Credential is null && (options.ClientId is null || options.ClientSecret is null))))
        {
            throw new ArgumentException("Emulator mode needs EmulatorEndpoint, EmulatorCertificateThumbprint, TenantId, and ClientId/ClientSecret or Credential.", nameof(options));
        }

        this.options = options;
        transport = new Lazy<HttpPipelineTransport>(() => options.Transport ?? BuildTransport(TimeSpan.FromMinutes(1)));
        dataPlaneTransport = new Lazy<HttpPipelineTransport>(() => options.Transport ?? BuildTransport(DataPlaneIdleTimeout));
        credential = new Lazy<TokenCredential>(BuildCredential);
        armClient = new Lazy<ArmClient>(() => CreateArmClient(Credential));
    }

    public EdgeKvAzureOptions Options => options;

    public TokenCredential Credential => credential.Value;

    /// <summary>The shared <see cref="ArmClient"/> (built with <see cref="Credential"/>).</summary>
    public ArmClient ArmClient => armClient.Value;

    /// <summary>
    /// Resource Manager root: the emulator's endpoint, or the cloud's (<c>https://management.azure.com/</c> in the
    /// public cloud).
    /// </summary>
    public Uri ManagementEndpoint => options.Mode == AzureMode.Emulator ? options.EmulatorEndpoint! : options.Cloud.ResourceManagerEndpoint;

    /// <summary>
    /// The cloud the clients address; the emulator plays the public cloud (its tokens carry the public audiences).
    /// </summary>
    public AzureCloud Cloud => options.Mode == AzureMode.Emulator ? AzureCloud.AzurePublicCloud : options.Cloud;

    /// <summary>
    /// The HTTP transport the Resource Manager and sign-in clients share. In emulator mode it trusts the emulator's
    /// certificate by thumbprint, and nothing else self-signed. Pooled connections are recycled every few minutes so
    /// DNS changes are seen.
    /// </summary>
    public HttpPipelineTransport Transport => transport.Value;

    /// <summary>
    /// How long a data-plane connection (a vault, a storage account's blobs) stays pooled unused. Each of those is a
    /// host of its own and a sweep touches each once (after the vault's challenge, within milliseconds), so a
    /// connection idle this long is not reused before the next sweep; kept for the handler's default minute, a sweep
    /// over 10,000 vaults would hold 10,000 sockets open (a Functions instance on the Consumption plan may hold 600). A
    /// flow's calls to one vault follow each other well within it.
    /// </summary>
    public static TimeSpan DataPlaneIdleTimeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The transport of the data-plane clients (<see cref="CreateSecretClient"/>, keys, audit logs): <see
    /// cref="DataPlaneIdleTimeout"/>.
    /// </summary>
    public HttpPipelineTransport DataPlaneTransport => dataPlaneTransport.Value;

    public void Dispose()
    {
        if (options.Transport is null)
        {
            if (transport.IsValueCreated) (transport.Value as IDisposable)?.Dispose();
            if (dataPlaneTransport.IsValueCreated) (dataPlaneTransport.Value as IDisposable)?.Dispose();
        }
    }

    private HttpClientTransport BuildTransport(TimeSpan idleTimeout) => new(CreateHttpHandler(idleTimeout));

    /// <summary>
    /// A handler for a plain <see cref="HttpClient"/> to this Azure's endpoints (such as its token service's OpenID
    /// metadata) with the transports' trust: in emulator mode the emulator's certificate by thumbprint, nothing else
    /// self-signed.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler(TimeSpan idleTimeout)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = idleTimeout };
        if (options.Mode == AzureMode.Emulator)
        {
            var thumbprint = options.EmulatorCertificateThumbprint!;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None ||
                (certificate is not null && string.Equals(certificate.GetCertHashString(), thumbprint,
                    StringComparison.OrdinalIgnoreCase));
        }

        return handler;
    }

    /// <summary>
    /// An <see cref="ArmClient"/> for the given credential (for example to act as another principal).
    /// </summary>
    public ArmClient CreateArmClient(TokenCredential tokenCredential)
    {
        var clientOptions = new ArmClientOptions
        {
            Environment = new ArmEnvironment(ManagementEndpoint, Cloud.ResourceManagerAudience),
            Transport = Transport,
        };
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        clientOptions.AddPolicy(new AzureCallCountingPolicy(AzurePlane.ResourceManager), HttpPipelinePosition.PerRetry);
        foreach (var (type, version) in AzureApiVersions.ByResourceType)
        {
            clientOptions.SetApiVersion(type, version);
        }

        return new ArmClient(tokenCredential, options.SubscriptionId, clientOptions);
    }

    /// <summary>A client-secret credential against the emulator's token service (emulator mode only).</summary>
    public TokenCredential CreateEmulatorCredential(string clientId, string clientSecret) =>
        new ClientSecretCredential(options.TenantId!.Value.ToString(), clientId, clientSecret,
            new ClientSecretCredentialOptions
        {
            AuthorityHost = options.EmulatorEndpoint,
            DisableInstanceDiscovery = true,
            Transport = Transport,
            Retry = { MaxRetries = options.MaxRetries, Delay = options.RetryDelay },
        });

    /// <summary>
    /// A <see cref="SecretClient"/> for a vault URI (<c>VaultProperties.VaultUri</c>), with this factory's transport
    /// and credential (or <paramref name="tokenCredential"/>). In emulator mode the vault URI carries a path prefix
    /// (<c>https://127.0.0.1:PORT/vaults/NAME/</c>), so the challenge resource check is disabled there, and only there.
    /// </summary>
    public SecretClient CreateSecretClient(Uri vaultUri, TokenCredential? tokenCredential = null,
        SecretClientOptions.ServiceVersion? serviceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        var clientOptions = serviceVersion is { } version ? new SecretClientOptions(version) : new SecretClientOptions();
        clientOptions.Transport = DataPlaneTransport;
        clientOptions.DisableChallengeResourceVerification = options.Mode == AzureMode.Emulator || !Cloud.VerifyKeyVaultChallengeResource;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        clientOptions.AddPolicy(new AzureCallCountingPolicy(AzurePlane.Data), HttpPipelinePosition.PerRetry);
        return new SecretClient(vaultUri, tokenCredential ?? Credential, clientOptions);
    }

    /// <summary>
    /// A <see cref="KeysClient"/> for a vault URI over an Azure.Core pipeline with this factory's transport and
    /// credential.
    /// </summary>
    public KeysClient CreateKeysClient(Uri vaultUri, TokenCredential? tokenCredential = null) =>
        new(vaultUri, tokenCredential ?? Credential, ConfigureDataPlane(new KeysClientOptions
        {
            Scope = Cloud.KeyVaultScope,
            DisableChallengeResourceVerification = options.Mode == AzureMode.Emulator || !Cloud.VerifyKeyVaultChallengeResource,
        }));

    /// <summary>
    /// An <see cref="AuditLogsClient"/> for a storage account's blob endpoint:
    /// <c>https://ACCOUNT.blob.core.windows.net/</c> in Azure, <c>{EmulatorEndpoint}storage/ACCOUNT/blob/</c> (the
    /// account's <c>primaryEndpoints.blob</c>) in emulator mode.
    /// </summary>
    public AuditLogsClient CreateAuditLogsClient(string storageAccountName, TokenCredential? tokenCredential = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(storageAccountName);
        var blobEndpoint = options.Mode == AzureMode.Emulator
            ? new Uri(options.EmulatorEndpoint!, $"storage/{storageAccountName}/blob/")
            : options.Cloud.BlobEndpoint(storageAccountName);
        return new AuditLogsClient(blobEndpoint, tokenCredential ?? Credential,
            ConfigureDataPlane(new BlobClientOptions()));
    }

    /// <summary>
    /// A <see cref="VaultMetricsClient"/> over Azure.Monitor.Query's <see cref="MetricsQueryClient"/>: Azure Monitor's
    /// metrics API lives on Resource Manager (<see cref="ManagementEndpoint"/>: the cloud's, or the emulator's), with
    /// the cloud's Resource Manager audience and this factory's Resource Manager transport and credential.
    /// </summary>
    public VaultMetricsClient CreateVaultMetricsClient(TokenCredential? tokenCredential = null)
    {
        var clientOptions = new MetricsQueryClientOptions
        {
            Audience = new MetricsQueryAudience(Cloud.ResourceManagerAudience),
            Transport = Transport,
        };
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        return new VaultMetricsClient(new MetricsQueryClient(ManagementEndpoint, tokenCredential ?? Credential,
            clientOptions));
    }

    // Each typed client works in one subscription: EdgeKv's own unless a subscription is named (a resource's own,
    // read from its ARM id, for a fleet spread over several subscriptions).
    public EventSubscriptionsClient GetEventSubscriptionsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public VaultsClient GetVaultsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public ManagementLocksClient GetManagementLocksClient(ArmClient? client = null) => new(client ?? ArmClient);

    public StorageAccountsClient GetStorageAccountsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public DiagnosticSettingsClient GetDiagnosticSettingsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public EdgeDevicesClient GetEdgeDevicesClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public RoleAssignmentsClient GetRoleAssignmentsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public RoleDefinitionsClient GetRoleDefinitionsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public ResourceProvidersClient GetResourceProvidersClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    public ResourceGroupsClient GetResourceGroupsClient(ArmClient? client = null,
        string? subscriptionId = null) => new(client ?? ArmClient, subscriptionId ?? options.SubscriptionId);

    private T ConfigureDataPlane<T>(T clientOptions)
        where T : ClientOptions
    {
        clientOptions.Transport = DataPlaneTransport;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        return clientOptions;
    }

    private TokenCredential BuildCredential()
    {
        if (options.Credential is not null)
        {
            return options.Credential;
        }

        if (options.Mode == AzureMode.Emulator)
        {
            return CreateEmulatorCredential(options.ClientId!, options.ClientSecret!);
        }

        // Sign-in happens in the cloud's own Entra ID (login.chinacloudapi.cn, login.microsoftonline.us, ...).
        if (options.ClientId is not null && options.ClientSecret is not null && options.TenantId is not null)
        {
            return new ClientSecretCredential(options.TenantId.Value.ToString(), options.ClientId, options.ClientSecret,
                new ClientSecretCredentialOptions
                {
                    AuthorityHost = options.Cloud.AuthorityHost,
                    Transport = Transport,
                    Retry = { MaxRetries = options.MaxRetries, Delay = options.RetryDelay },
                });
        }

        // The user-assigned identity attached to the app: the platform's managed-identity endpoint issues its tokens,
        // and nothing else is tried (DefaultAzureCredential would go on to developer sign-ins when that endpoint
        // fails).
        if (options.ManagedIdentityClientId is { Length: > 0 } clientId)
        {
            return new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId(clientId))
            {
                AuthorityHost = options.Cloud.AuthorityHost,
                Retry = { MaxRetries = options.MaxRetries, Delay = options.RetryDelay },
            });
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { AuthorityHost = options.Cloud.AuthorityHost });
    }
}
