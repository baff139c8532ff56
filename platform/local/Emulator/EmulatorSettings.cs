namespace EdgeKv.Local.Emulator;

/// <summary>
/// The local composition's emulator settings, in EdgeKv's Azure section (<c>EdgeKv:Azure</c>) beside the settings the
/// Azure app reads: with <c>Mode = Emulator</c> (the default) the emulator starts in-process under the data path, or an
/// already running one is used when <see cref="EmulatorEndpoint"/> is set.
/// </summary>
public sealed class EmulatorSettings
{
    public const string SectionName = "EdgeKv:Azure";

    /// <summary>
    /// An emulator already running (<c>dotnet run --project platform/emulator</c>); empty = start one in-process.
    /// </summary>
    public Uri? EmulatorEndpoint { get; set; }

    public string? EmulatorCertificateThumbprint { get; set; }

    /// <summary>
    /// The emulator's admin key: in-process, empty means random; external, needed to find managed identities'
    /// endpoints.
    /// </summary>
    public string? EmulatorAdminKey { get; set; }

    /// <summary>
    /// In-process emulator HTTPS port (vault URIs carry it, so it stays the same across restarts); 0 = a free port
    /// (tests).
    /// </summary>
    public int EmulatorPort { get; set; } = 10443;

    /// <summary>In-process emulator managed-identity port (plain http, loopback); 0 = a free port.</summary>
    public int EmulatorIdentityPort { get; set; } = 10080;

    /// <summary>In-process emulator: how long a storage account creation takes.</summary>
    public TimeSpan EmulatorLongRunningOperation { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan EmulatorRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// In-process emulator: further subscriptions (GUIDs) holding fleet resources. When set, the emulator seeds them,
    /// and EdgeKv's principal holds infra/fleet-roles.bicep's roles on every subscription, as a deployment with
    /// <c>fleetSubscriptionIds</c> grants them.
    /// </summary>
    public IList<string> EmulatorFleetSubscriptions { get; } = [];

    public void Validate()
    {
        if (EmulatorEndpoint is not null && (EmulatorCertificateThumbprint is null || EmulatorAdminKey is null))
        {
            throw new InvalidOperationException("An external emulator (EdgeKv:Azure:EmulatorEndpoint) needs EmulatorCertificateThumbprint and EmulatorAdminKey.");
        }

        if (EmulatorFleetSubscriptions.Any(s => !Guid.TryParseExact(s, "D",
            out _))) throw new InvalidOperationException("EdgeKv:Azure:EmulatorFleetSubscriptions are subscription GUIDs.");
        if (EmulatorPort is < 0 or > 65535 || EmulatorIdentityPort is < 0 or > 65535) throw new InvalidOperationException("Emulator ports must be 0-65535.");
    }
}
