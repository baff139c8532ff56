namespace EdgeKv.Emulator.Identity;

/// <summary>
/// A compute host as App Service runs one (a site): the secret its <c>IDENTITY_HEADER</c> carries and the
/// user-assigned identities attached to it, by resource id.
/// </summary>
internal sealed record IdentityHostRecord(string Name, string Secret, IReadOnlyList<string> UserAssignedIdentities);
