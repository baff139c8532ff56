namespace EdgeKv.Emulator.Admin;

/// <summary>
/// A compute host's managed-identity endpoint, as App Service gives a site one: set <c>IDENTITY_ENDPOINT</c> to
/// <paramref name="Endpoint"/> and <c>IDENTITY_HEADER</c> to <paramref name="Header"/>, and ask for one of the
/// <paramref name="UserAssignedIdentities"/> (resource ids) by client id, principal id or resource id.
/// </summary>
public sealed record ManagedIdentityHostInfo(string Name, Uri Endpoint, string Header,
    IReadOnlyList<string> UserAssignedIdentities);
