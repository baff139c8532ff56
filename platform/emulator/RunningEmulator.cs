using System.Security.Cryptography.X509Certificates;
using EdgeKv.Emulator.Admin;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Store;
using Microsoft.AspNetCore.Builder;

namespace EdgeKv.Emulator;

/// <summary>A started emulator: where it listens, what it trusts, who can sign in, and its admin client.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SqliteDocumentStore store;
    private readonly EmulatorSettings settings;
    private bool disposed;

    internal RunningEmulator(WebApplication app, SqliteDocumentStore store, X509Certificate2 certificate,
        EmulatorSettings settings, string dataFolder,
        VaultAccessAuthorizer vaultAccess)
    {
        this.app = app;
        this.store = store;
        this.settings = settings;
        Certificate = certificate;
        DataFolder = dataFolder;
        VaultAccess = vaultAccess;
        Admin = new EmulatorAdminClient(settings.Endpoint, settings.AdminKey, CertificateThumbprint);
    }

    /// <summary>
    /// Root of Resource Manager, the token service (authority host) and the admin API, e.g.
    /// <c>https://127.0.0.1:PORT/</c>.
    /// </summary>
    public Uri Endpoint => settings.Endpoint;

    /// <summary>
    /// The managed-identity endpoint (App Service protocol, plain http on loopback): the value of
    /// <c>IDENTITY_ENDPOINT</c>.
    /// </summary>
    public Uri IdentityEndpoint => settings.IdentityEndpoint;

    public X509Certificate2 Certificate { get; }

    public string CertificateThumbprint => Certificate.Thumbprint;

    public Guid TenantId => settings.TenantId;

    public string SubscriptionId => settings.SubscriptionId;

    public string DefaultLocation => settings.DefaultLocation;

    public string DataFolder { get; }

    /// <summary>The key of the admin API's <c>x-emulator-admin-key</c> header.</summary>
    public string AdminKey => settings.AdminKey;

    public IReadOnlyList<EmulatorPrincipal> Principals => settings.Principals;

    public EmulatorAdminClient Admin { get; }

    /// <summary>Data-plane authorization by vault access policy (for the data plane to plug in).</summary>
    public VaultAccessAuthorizer VaultAccess { get; }

    /// <summary>
    /// The issuer of emulator tokens (<c>{Endpoint}{tenant}/v2.0</c>); its OpenID configuration is at
    /// <c>/.well-known/openid-configuration</c> below it.
    /// </summary>
    public string Issuer => Identity.TokenIssuer.IssuerFor(settings.Endpoint, settings.TenantId);

    public EmulatorPrincipal GetPrincipal(string name) =>
        settings.Principals.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"No principal named '{name}'.", nameof(name));

    /// <summary>An HTTP handler that trusts the emulator's certificate by thumbprint.</summary>
    public HttpClientHandler CreateTrustingHandler() => CertificateTrust.CreateHandler(CertificateThumbprint);

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Admin.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
    }
}
