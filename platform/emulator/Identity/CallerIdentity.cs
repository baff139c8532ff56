namespace EdgeKv.Emulator.Identity;

/// <summary>Who made a request, read from a validated access token.</summary>
public sealed record CallerIdentity(Guid ObjectId, Guid TenantId, string AppId, string Audience,
    IReadOnlyList<string> Roles);
