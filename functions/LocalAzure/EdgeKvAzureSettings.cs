using EdgeKv.Azure;

namespace EdgeKv.Functions.LocalAzure;

/// <summary>
/// Where EdgeKv's Azure is (section <c>EdgeKv:Azure</c>). <c>Mode = Emulator</c> (the default) starts the Azure emulator
/// in-process under the data path, or uses an already running one when <see cref="EmulatorEndpoint"/> is set;
/// <c>Mode = Azure</c> uses real Azure with <see cref="SubscriptionId"/>, <see cref="ResourceGroup"/>, <see cref="Location"/>
/// as the user-assigned managed identity <see cref="ManagedIdentityClientId"/> (or a client secret when <see cref="ClientId"/>
/// and <see cref="ClientSecret"/> are set, else DefaultAzureCredential).
/// </summary>
public sealed class EdgeKvAzureSettings
{
    public const string SectionName = "EdgeKv:Azure";

    public AzureMode Mode { get; set; } = AzureMode.Emulator;

    /// <summary>
    /// Azure mode: <c>AzurePublicCloud</c> (default), <c>AzureChinaCloud</c>, <c>AzureUSGovernment</c>, or <c>Custom</c> with
    /// <see cref="CustomCloud"/>: sign-in, Resource Manager, Key Vault and Storage endpoints.
    /// </summary>
    public string Cloud { get; set; } = AzureCloud.AzurePublicCloud.Name;

    /// <summary>Azure mode with <c>Cloud = Custom</c>: the cloud's endpoints (<c>EdgeKv:Azure:CustomCloud:*</c>).</summary>
    public CustomCloudEndpoints? CustomCloud { get; set; }

    /// <summary>
    /// Azure mode: the client id of the user-assigned managed identity EdgeKv signs in as when no client secret is set;
    /// defaults to the app setting <c>AZURE_CLIENT_ID</c>, which infra/main.bicep sets to the identity it attaches.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Azure mode: required. Emulator mode: the emulator's default subscription when empty.</summary>
    public string? SubscriptionId { get; set; }

    public string ResourceGroup { get; set; } = "edgekv-local";

    public string Location { get; set; } = "westus2";

    public Guid? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Azure mode: EdgeKv's own object id (otherwise read from its token's <c>oid</c>).</summary>
    public Guid? ServiceObjectId { get; set; }

    /// <summary>SDK retries per call (they honour Retry-After); durable retry policies handle the rest.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>An emulator already running (<c>dotnet run --project emulator</c>); empty = start one in-process.</summary>
    public Uri? EmulatorEndpoint { get; set; }

    public string? EmulatorCertificateThumbprint { get; set; }

    /// <summary>The emulator's admin key: in-process, empty means random; external, needed to find managed identities' endpoints.</summary>
    public string? EmulatorAdminKey { get; set; }

    /// <summary>In-process emulator HTTPS port (vault URIs carry it, so it stays the same across restarts); 0 = a free port (tests).</summary>
    public int EmulatorPort { get; set; } = 10443;

    /// <summary>In-process emulator managed-identity port (plain http, loopback); 0 = a free port.</summary>
    public int EmulatorIdentityPort { get; set; } = 10080;

    /// <summary>In-process emulator: how long a storage account creation takes.</summary>
    public TimeSpan EmulatorLongRunningOperation { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan EmulatorRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        if (Mode == AzureMode.Azure) _ = AzureCloud.Parse(Cloud, CustomCloud); // an unknown, retired or incomplete cloud stops start-up with the reason
        if (MaxRetries is < 0 or > 10) throw new InvalidOperationException("EdgeKv:Azure:MaxRetries must be 0-10.");
        if (string.IsNullOrWhiteSpace(ResourceGroup)) throw new InvalidOperationException("EdgeKv:Azure:ResourceGroup is required.");
        if (string.IsNullOrWhiteSpace(Location)) throw new InvalidOperationException("EdgeKv:Azure:Location is required.");
        if (Mode == AzureMode.Azure && string.IsNullOrWhiteSpace(SubscriptionId)) throw new InvalidOperationException("EdgeKv:Azure:SubscriptionId is required in Azure mode.");
        if (Mode == AzureMode.Emulator && EmulatorEndpoint is not null && (EmulatorCertificateThumbprint is null || EmulatorAdminKey is null))
        {
            throw new InvalidOperationException("An external emulator (EdgeKv:Azure:EmulatorEndpoint) needs EmulatorCertificateThumbprint and EmulatorAdminKey.");
        }

        if (EmulatorPort is < 0 or > 65535 || EmulatorIdentityPort is < 0 or > 65535) throw new InvalidOperationException("Emulator ports must be 0-65535.");
    }
}
