namespace EdgeKv.Azure.Edge;

/// <summary>
/// An Azure Stack Edge resource with its system-assigned identity (principal null when the identity is off).
/// </summary>
public sealed record EdgeDevice(
    string Id,
    string Name,
    string Location,
    string IdentityType,
    Guid? PrincipalId,
    Guid? TenantId,
    IReadOnlyDictionary<string, string> Tags);
