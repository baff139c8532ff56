using System.Text.Json.Serialization;

namespace EdgeKv.Records.Alerts;

/// <summary>
/// What a health check or an event found wrong with a vault-integrated resource. Persisted by name: add, never rename.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertKind>))]
public enum AlertKind
{
    VaultDeleted,
    VaultLockMissing,
    IdentityMissing,
    IdentityDisabled,
    IdentityAccessMissing,
    ChannelIntegrityKeyMissing,
    AuditStorageMissing,
    DiagnosticSettingMissing,

    /// <summary>
    /// An access policy entry on the vault that EdgeKv did not grant (and the security team has not accepted).
    /// </summary>
    AccessPolicyNotGrantedByEdgeKv,

    /// <summary>
    /// A key EdgeKv distributed was deleted, disabled, replaced or given operations beyond its purpose in the vault
    /// (resource <c>kms/{provider}/keys/{key}</c>).
    /// </summary>
    KeyDistributionDrift,

    /// <summary>
    /// On a vault on Azure RBAC: a role assignment at the vault (or on its secrets) that EdgeKv did not make, or
    /// EdgeKv's roles changed.
    /// </summary>
    RoleAssignmentNotGrantedByEdgeKv,

    /// <summary>
    /// A secret in the resource's vault (a customer secret or the CIK) expires within the configured window.
    /// </summary>
    SecretNearExpiry,

    /// <summary>A secret in the resource's vault (a customer secret or the CIK) has expired.</summary>
    SecretExpired,
}

[JsonConverter(typeof(JsonStringEnumConverter<AlertSeverity>))]
public enum AlertSeverity
{
    Warning,
    Error,
    Critical,
}

[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState
{
    Active,
    Resolved,
}

/// <summary>How bad each kind is and which EdgeKv flow heals it.</summary>
public static class AlertKinds
{
    public static AlertSeverity SeverityOf(AlertKind kind) => kind switch
    {
        AlertKind.VaultDeleted => AlertSeverity.Critical,
        AlertKind.IdentityMissing or AlertKind.IdentityDisabled or AlertKind.IdentityAccessMissing or AlertKind.ChannelIntegrityKeyMissing => AlertSeverity.Error,
        AlertKind.AccessPolicyNotGrantedByEdgeKv or AlertKind.RoleAssignmentNotGrantedByEdgeKv => AlertSeverity.Error,
        AlertKind.KeyDistributionDrift => AlertSeverity.Error,
        AlertKind.SecretExpired => AlertSeverity.Error,
        _ => AlertSeverity.Warning,
    };

    /// <summary>The request that heals the fault, for the operator.</summary>
    public static string HealingFor(AlertKind kind, string resource)
    {
        string r = Uri.EscapeDataString(resource);
        return kind switch
        {
            AlertKind.IdentityMissing or AlertKind.IdentityDisabled or AlertKind.IdentityAccessMissing => $"POST /api/resources/{r}/recoverIdentityAccess",
            AlertKind.ChannelIntegrityKeyMissing => $"POST /api/resources/{r}/syncDeviceSecrets",
            AlertKind.AccessPolicyNotGrantedByEdgeKv => $"POST /api/resources/{r}/accessPolicies/{{objectId}}/remove (or .../accept)",
            AlertKind.KeyDistributionDrift => $"POST /api/{resource}/heal",
            AlertKind.RoleAssignmentNotGrantedByEdgeKv => $"POST /api/resources/{r}/vaultRoleAssignments/{{assignmentName}}/remove (EdgeKv's own roles: recoverIdentityAccess)",
            AlertKind.SecretNearExpiry or AlertKind.SecretExpired =>
                $"PUT /api/resources/{r}/customerSecrets/{{secret}} with a new value and expiresOn (the CIK: POST /api/resources/{r}/rotateChannelIntegrityKey)",
            _ => $"POST /api/resources/{r}/recoverVault",
        };
    }
}
