namespace EdgeKv.Emulator.Identity;

/// <summary>
/// A system-assigned identity as stored: disabled identities keep their principal while the resource lives.
/// </summary>
internal sealed record ManagedIdentityRecord(Guid PrincipalId, Guid ClientId, Guid TenantId, string ResourceId,
    string Secret, bool Enabled);
