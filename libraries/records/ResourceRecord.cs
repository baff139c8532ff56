using System.Text.Json.Serialization;

namespace EdgeKv.Records;

/// <summary>
/// What EdgeKv knows about one Azure Stack Edge resource it manages: where it lives in Azure, its identity, its vault,
/// the Channel Integrity Key's name and version, the audit storage, the activation and the device. It holds
/// references and metadata only: never a secret value, never the activation key.
/// </summary>
public sealed record ResourceRecord
{
    public required string Name { get; init; }

    public required string ResourceId { get; init; }

    public required string ResourceGroup { get; init; }

    /// <summary>
    /// The subscription the resource lives in, read from <see cref="ResourceId"/> (never stored, so it cannot disagree
    /// with the id): its vault, audit storage and locks are created beside it, in this subscription and its group.
    /// </summary>
    [JsonIgnore]
    public string SubscriptionId => SubscriptionOf(ResourceId)
        ?? throw new InvalidOperationException($"Resource '{Name}' has an id without a subscription: '{ResourceId}'.");

    /// <summary>
    /// The subscription an ARM id (<c>/subscriptions/{id}/...</c>) names, or null when it names none.
    /// </summary>
    public static string? SubscriptionOf(string? armId)
    {
        const string prefix = "/subscriptions/";
        if (armId is null || !armId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        int end = armId.IndexOf('/', prefix.Length);
        string id = end < 0 ? armId[prefix.Length..] : armId[prefix.Length..end];
        return id.Length == 0 ? null : id;
    }

    public required string Location { get; init; }

    /// <summary>The system-assigned identity's object id (null until known).</summary>
    public Guid? PrincipalId { get; init; }

    public Guid? TenantId { get; init; }

    /// <summary>
    /// True for a resource adopted from before vault integration: it has no vault until it is activated again.
    /// </summary>
    public bool PreVaultIntegration { get; init; }

    public string? VaultName { get; init; }

    public string? VaultId { get; init; }

    public string? VaultUri { get; init; }

    public string? CikSecretName { get; init; }

    public string? CikSecretVersion { get; init; }

    /// <summary>
    /// When the current CIK version was written (null for records from before it was kept): its rotation is due a
    /// period later.
    /// </summary>
    public DateTimeOffset? CikCreatedAt { get; init; }

    /// <summary>
    /// A CIK version written by a rotation that the device has not taken yet. Until it answers a sync with it, the
    /// device and EdgeKv keep using <see cref="CikSecretVersion"/>; the sync request carries this one, encrypted under
    /// that one.
    /// </summary>
    public string? PendingCikSecretVersion { get; init; }

    public string? AuditStorageAccountId { get; init; }

    public string? DiagnosticSettingId { get; init; }

    public ActivationState ActivationState { get; init; } = ActivationState.NotStarted;

    /// <summary>
    /// Non-blocking problems of the last activation (storage account, diagnostic setting), for the operator.
    /// </summary>
    public IReadOnlyList<string> ActivationWarnings { get; init; } = [];

    /// <summary>Identifies the current activation key; a new key replaces it, which invalidates the old one.</summary>
    public string? ActivationKeyId { get; init; }

    public DateTimeOffset? ActivationKeyExpiresAt { get; init; }

    /// <summary>The service endpoint the activation key names.</summary>
    public string? ServiceEndpoint { get; init; }

    /// <summary>
    /// SHA-256 (hex) of the one-time fetch token given to the client that started the activation; the token itself is
    /// not kept.
    /// </summary>
    public string? ActivationKeyFetchTokenHash { get; init; }

    /// <summary>True once the key was handed out through <c>GET .../activationKey</c>; it is handed out once.</summary>
    public bool ActivationKeyDelivered { get; init; }

    public DeviceState DeviceState { get; init; } = DeviceState.NotActivated;

    /// <summary>SHA-256 (hex) of the device credential; the credential itself is only on the device.</summary>
    public string? DeviceCredentialHash { get; init; }

    /// <summary>
    /// SHA-256 (hex) of a rotated credential the device has not used yet. Both work until the device signs in with this
    /// one, which then replaces <see cref="DeviceCredentialHash"/>.
    /// </summary>
    public string? PendingDeviceCredentialHash { get; init; }

    public DateTimeOffset? DeviceActivatedAt { get; init; }

    /// <summary>The activation key the device used; a key activates once.</summary>
    public string? ActivatedKeyId { get; init; }

    /// <summary>
    /// Names of the device secrets pushed to the vault (BitLocker recovery key, BMC password), never values.
    /// </summary>
    public IReadOnlyList<string> DeviceSecretNames { get; init; } = [];

    /// <summary>
    /// A sync of device secrets waiting for the device (the request id it answers with), and the orchestration to tell.
    /// </summary>
    public string? PendingSyncRequestId { get; init; }

    public string? PendingSyncInstanceId { get; init; }

    /// <summary>
    /// The sync request a vault recovery left pending when its wait for the device ended: the vault and its access are
    /// back, the device's secrets not yet. Until the device answers, the vault's alert stays; its answer resolves it.
    /// </summary>
    public string? RecoveryAwaitingDeviceRequestId { get; init; }

    /// <summary>
    /// A flow that changes the resource's vault or identity while it runs (vault recovery, identity recovery,
    /// deletion), and when it started. Until it ends, what it is repairing is expected, not a fault.
    /// </summary>
    public string? FlowInProgress { get; init; }

    public DateTimeOffset? FlowStartedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// How long a flow's mark holds: a flow that was terminated never clears its mark, so after this the resource is
    /// judged again (vault recovery waits for the device for at most a few hours).
    /// </summary>
    public static readonly TimeSpan FlowMarkLifetime = TimeSpan.FromHours(12);

    /// <summary>
    /// True when a health check may judge this resource: it is vault-integrated, its activation has finished with the
    /// key issued, and no flow that could explain a fault (recovery, deletion) is running. Anything else is skipped, so
    /// no alert is raised for a condition the running flow is about to change.
    /// </summary>
    public bool IsSettled(DateTimeOffset now) =>
        VaultName is not null && !PreVaultIntegration && ActivationState == ActivationState.KeyIssued
        && (FlowInProgress is null || FlowStartedAt is null || now - FlowStartedAt.Value > FlowMarkLifetime);
}

public enum ActivationState
{
    NotStarted,
    Provisioning,
    KeyIssued,
    Failed,
}

public enum DeviceState
{
    NotActivated,
    Activated,

    /// <summary>
    /// The security team revoked the device's credential; the device activates again with a new activation key.
    /// </summary>
    CredentialRevoked,
}
