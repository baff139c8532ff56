using System.Text.Json.Serialization;
using EdgeKv.Records;

namespace EdgeKv.Functions.Device;

/// <summary>Body of <c>POST /api/device/activate</c>.</summary>
public sealed record DeviceActivationRequest(string? ActivationKey);

/// <summary>
/// What an activated device receives, once: its credential for the device API and the Channel Integrity Key.
/// </summary>
public sealed record DeviceActivationResponse(string ResourceName, string ResourceId, string DeviceCredential,
    string ChannelIntegrityKey, string ChannelIntegrityKeyVersion);

/// <summary>Body of <c>PUT /api/device/{name}/secrets</c>: the device's own secrets, generated on the device.</summary>
public sealed record DeviceSecretsRequest(string? BitLockerRecoveryKey, string? BmcUserPassword);

/// <summary>Where the device secrets went (names and versions, no values).</summary>
public sealed record DeviceSecretsResponse(IReadOnlyList<StoredSecret> Secrets);

public sealed record StoredSecret(string Name, string Version);

/// <summary>
/// Body of <c>PUT /api/resources/{name}/customerSecrets/{secret}</c>: the value, and optionally when it expires (ISO
/// 8601), its content type and tags. Each write is a new version with exactly these attributes; a member it does not
/// take is a 400, so a misspelt expiry is never silently dropped.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CustomerSecretRequest(string? Value, string? ExpiresOn = null, string? ContentType = null,
    IReadOnlyDictionary<string, string?>? Tags = null);

/// <summary>A customer secret's attributes as its vault keeps them (never its value).</summary>
public sealed record CustomerSecretView(string Name, string? Version, bool? Enabled, DateTimeOffset? ExpiresOn,
    DateTimeOffset? NotBefore,
    DateTimeOffset? CreatedOn, DateTimeOffset? UpdatedOn, string? ContentType,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>A deleted customer secret, recoverable until its scheduled purge date.</summary>
public sealed record DeletedCustomerSecretView(string Name, DateTimeOffset? DeletedOn,
    DateTimeOffset? ScheduledPurgeDate);

/// <summary>
/// A customer secret for the device, encrypted with the CIK (AES-256-GCM, the resource name as associated data).
/// </summary>
public sealed record EncryptedSecretResponse(string Name, string Version, string CikVersion,
    ChannelCiphertext Encrypted);

/// <summary>A device's new credential after it rotated the old one (which no longer works).</summary>
public sealed record DeviceCredentialResponse(string ResourceName, string DeviceCredential);

/// <summary>
/// What a revocation left: the resource and its device state (no credential works until the device activates again).
/// </summary>
public sealed record DeviceCredentialRevoked(string ResourceName, string DeviceState);
