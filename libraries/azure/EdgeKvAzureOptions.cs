using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace EdgeKv.Azure;

/// <summary>The one switch between real Azure and the emulator, plus the settings each needs.</summary>
public sealed class EdgeKvAzureOptions
{
    public AzureMode Mode { get; set; } = AzureMode.Azure;

    /// <summary>Azure mode: the cloud whose endpoints every client addresses (public, China, US Government).</summary>
    public AzureCloud Cloud { get; set; } = AzureCloud.AzurePublicCloud;

    /// <summary>
    /// The HTTP transport of every client, as an Azure SDK client's <c>ClientOptions.Transport</c> (a proxy, a test);
    /// null = EdgeKv's pooled one.
    /// </summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>Default subscription of the typed clients.</summary>
    public string SubscriptionId { get; set; } = string.Empty;

    /// <summary>Tenant of the service principal (required in emulator mode).</summary>
    public Guid? TenantId { get; set; }

    /// <summary>
    /// Emulator root, e.g. <c>https://127.0.0.1:10443/</c>: Resource Manager and the token authority.
    /// </summary>
    public Uri? EmulatorEndpoint { get; set; }

    /// <summary>Thumbprint of the emulator's self-signed certificate; only that certificate is trusted.</summary>
    public string? EmulatorCertificateThumbprint { get; set; }

    /// <summary>
    /// Service principal client id (emulator: one of its configured principals; Azure: optional, else
    /// DefaultAzureCredential).
    /// </summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// Azure mode: the client id of the user-assigned managed identity EdgeKv signs in as (infra/main.bicep attaches
    /// one and sets <c>AZURE_CLIENT_ID</c> to it); used when no client secret is given.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// A credential to use instead of the one built from the settings above (for example a managed identity).
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>SDK retries stay small: durable activity retry policies handle transient failures.</summary>
    public int MaxRetries { get; set; } = 1;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Location used when a call needs one and none is given.</summary>
    public string DefaultLocation { get; set; } = "westus2";
}
