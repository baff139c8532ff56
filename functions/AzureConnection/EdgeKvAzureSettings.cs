using EdgeKv.Azure;

namespace EdgeKv.Functions.AzureConnection;

/// <summary>
/// Where EdgeKv's Azure is (section <c>EdgeKv:Azure</c>). <c>Mode = Emulator</c> (the default) is served by the local
/// composition (<see cref="IEmulatedAzure"/>; its emulator settings live in the same section); <c>Mode = Azure</c> uses
/// real Azure with <see cref="SubscriptionId"/>, <see cref="ResourceGroup"/>, <see cref="Location"/>, signed in as the
/// user-assigned managed identity <see cref="ManagedIdentityClientId"/> (or with a client secret when <see
/// cref="ClientId"/> and <see cref="ClientSecret"/> are set, else DefaultAzureCredential).
/// </summary>
public sealed class EdgeKvAzureSettings
{
    public const string SectionName = "EdgeKv:Azure";

    public AzureMode Mode { get; set; } = AzureMode.Emulator;

    /// <summary>
    /// Azure mode: <c>AzurePublicCloud</c> (default), <c>AzureChinaCloud</c>, <c>AzureUSGovernment</c>, or
    /// <c>Custom</c> with <see cref="CustomCloud"/>: sign-in, Resource Manager, Key Vault and Storage endpoints.
    /// </summary>
    public string Cloud { get; set; } = AzureCloud.AzurePublicCloud.Name;

    /// <summary>
    /// Azure mode with <c>Cloud = Custom</c>: the cloud's endpoints (<c>EdgeKv:Azure:CustomCloud:*</c>).
    /// </summary>
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

    public void Validate()
    {
        if (Mode == AzureMode.Azure) _ = AzureCloud.Parse(Cloud,
            CustomCloud); // an unknown, retired or incomplete cloud stops start-up with the reason
        if (MaxRetries is < 0 or > 10) throw new InvalidOperationException("EdgeKv:Azure:MaxRetries must be 0-10.");
        if (string.IsNullOrWhiteSpace(ResourceGroup)) throw new InvalidOperationException("EdgeKv:Azure:ResourceGroup is required.");
        if (string.IsNullOrWhiteSpace(Location)) throw new InvalidOperationException("EdgeKv:Azure:Location is required.");
        if (Mode == AzureMode.Azure && string.IsNullOrWhiteSpace(SubscriptionId)) throw new InvalidOperationException("EdgeKv:Azure:SubscriptionId is required in Azure mode.");
    }
}
