namespace EdgeKv.Emulator.Hosting;

/// <summary>The resolved settings of a running emulator (ports known, options validated).</summary>
internal sealed record EmulatorSettings(
    Uri Endpoint,
    Uri IdentityEndpoint,
    Guid TenantId,
    string SubscriptionId,
    string DefaultLocation,
    IReadOnlyList<EmulatorPrincipal> Principals,
    TimeSpan LongRunningOperationDuration,
    TimeSpan RetryAfter,
    TimeSpan AutoPurgeDelay,
    string AdminKey,
    TimeProvider HostClock)
{
    /// <summary>Built-in and configured custom role definitions.</summary>
    public Authorization.RoleCatalog Roles { get; init; } = new([]);
}
