namespace EdgeKv.Activities.Activation;

// Messages of the activation workflow. They are persisted in orchestration history: references and metadata only,
// never a secret value. Persisted shapes are versioned, not edited in place.

/// <summary>
/// Input of the activation orchestration; the vault name is the one the starter resolved and checked.
/// </summary>
public sealed record ActivationRequest(
    string ResourceName,
    string VaultName,
    string ServiceEndpoint,
    TimeSpan KeyValidity,
    TimeSpan StoragePollInterval,
    TimeSpan StorageTimeout);

/// <summary>Input of most steps: the resource, and the vault once it is known.</summary>
public sealed record ResourceStep(string ResourceName, string? VaultName = null);

public sealed record PrerequisitesResult(bool StorageProviderRegistered, IReadOnlyList<string> Notes);

public sealed record VaultRef(string Id, string Name, string Uri);

public sealed record LockRequest(string Scope, string LockName, string Notes);

public sealed record SecretRef(string Name, string Version);

public sealed record AuditStorageStatus(string AccountId, string Name, bool Succeeded, string? ProvisioningState);

public sealed record DiagnosticSettingRequest(string ResourceName, string VaultId, string StorageAccountId);

public sealed record IssueKeyRequest(string ResourceName, string KeyId, DateTimeOffset ExpiresAt,
    string ServiceEndpoint);

public sealed record ActivationProgress(string ResourceName, Records.ActivationState State,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Output of the activation orchestration: what was provisioned. The key itself is fetched once from <c>GET
/// .../activationKey</c>.
/// </summary>
public sealed record ActivationSummary(
    string ResourceName,
    string VaultName,
    string VaultUri,
    string ChannelIntegrityKeyName,
    string ChannelIntegrityKeyVersion,
    string? AuditStorageAccountId,
    string? DiagnosticSettingId,
    Guid PrincipalId,
    DateTimeOffset ActivationKeyExpiresAt,
    string ActivationKeyUri,
    IReadOnlyList<string> Warnings);
