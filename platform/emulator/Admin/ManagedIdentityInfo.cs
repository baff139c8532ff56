namespace EdgeKv.Emulator.Admin;

/// <summary>
/// A managed identity and how to act as it: set <c>IDENTITY_ENDPOINT</c> to <paramref name="Endpoint"/> and
/// <c>IDENTITY_HEADER</c> to <paramref name="Header"/> (the App Service protocol).
/// </summary>
public sealed record ManagedIdentityInfo(Guid PrincipalId, Guid ClientId, Guid TenantId, string ResourceId,
    bool Enabled, Uri Endpoint, string Header);
