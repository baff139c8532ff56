using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// Body of <c>PUT /api/keys/{name}</c>: the type (fixed at creation), and optionally the lifecycle settings.
/// </summary>
public sealed record PutKeyBody(string? Type = null, bool? DeletionAllowed = null, string? RotationPeriod = null);

/// <summary>Body of <c>PATCH /api/keys/{name}</c>: what may change after creation.</summary>
public sealed record PatchKeyBody(int? MinEnabledVersion = null, bool? DeletionAllowed = null,
    string? RotationPeriod = null);

/// <summary>
/// Body of <c>PUT /api/kms/{name}</c>; a member it does not take is a 400 (it may carry credentials).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PutKmsBody(string? Provider = null, string? KeyCollection = null,
    KmsCredentialsBody? Credentials = null);

/// <summary>A provider's own service principal (write-only); a member it does not take is a 400.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record KmsCredentialsBody(string? ClientId = null, string? ClientSecret = null, string? TenantId = null);

/// <summary>
/// Body of <c>PUT /api/kms/{name}/keys/{keyName}</c>: purpose as a list or a comma-separated string, protection hsm or
/// software.
/// </summary>
public sealed record DistributeKeyBody(JsonElement? Purpose = null, string? Protection = null);
