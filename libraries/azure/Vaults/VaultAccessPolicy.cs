namespace EdgeKv.Azure.Vaults;

/// <summary>
/// A vault access policy entry: who (tenant, object id) may do what on secrets, keys, certificates and storage.
/// </summary>
public sealed record VaultAccessPolicy(
    Guid TenantId,
    string ObjectId,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string>? Keys = null,
    IReadOnlyList<string>? Certificates = null,
    IReadOnlyList<string>? Storage = null);
