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

    /// <summary>
    /// A principal granted itself (or a group it belongs to) a data-plane role of EdgeKv's (principal: the grantee).
    /// Raised by the role-assignment route, never by the sweep: it stays active until that role assignment is deleted
    /// or the security team resolves it.
    /// </summary>
    SelfGrantedDataPlaneAccess,
}

/// <summary>
/// Who acts on an alert: <c>Health</c> (an operator heals the resource) or <c>Security</c> (the security team reviews
/// who has access; logged at Warning with event id 7030 when raised).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertCategory>))]
public enum AlertCategory
{
    Health,
    Security,
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

/// <summary>
/// How bad each kind is, who acts on it (its category), whether the sweep checks it, and which EdgeKv flow heals it.
/// </summary>
public static class AlertKinds
{
    /// <summary>
    /// The kinds the health sweep checks on every resource it judges: a sweep resolves only alerts of these kinds that
    /// it no longer finds. Every other kind (raised by an event or a route) is resolved by its own flow.
    /// </summary>
    public static IReadOnlySet<AlertKind> SweepObserved { get; } =
        Enum.GetValues<AlertKind>().Where(k => k != AlertKind.SelfGrantedDataPlaneAccess).ToHashSet();

    public static AlertCategory CategoryOf(AlertKind kind) => kind switch
    {
        AlertKind.AccessPolicyNotGrantedByEdgeKv or AlertKind.RoleAssignmentNotGrantedByEdgeKv
            or AlertKind.SelfGrantedDataPlaneAccess => AlertCategory.Security,
        _ => AlertCategory.Health,
    };

    /// <summary>The kinds of one category.</summary>
    public static IReadOnlyList<AlertKind> OfCategory(AlertCategory category) =>
        [.. Enum.GetValues<AlertKind>().Where(k => CategoryOf(k) == category)];

    public static AlertSeverity SeverityOf(AlertKind kind) => kind switch
    {
        AlertKind.VaultDeleted or AlertKind.SelfGrantedDataPlaneAccess => AlertSeverity.Critical,
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
            AlertKind.SelfGrantedDataPlaneAccess =>
                "DELETE /api/roleAssignments/{id} (the self-granted assignment), "
                + "or POST /api/alerts/{alertId}/resolve once reviewed",
            AlertKind.RoleAssignmentNotGrantedByEdgeKv => $"POST /api/resources/{r}/vaultRoleAssignments/{{assignmentName}}/remove (EdgeKv's own roles: recoverIdentityAccess)",
            AlertKind.SecretNearExpiry or AlertKind.SecretExpired =>
                $"PUT /api/resources/{r}/customerSecrets/{{secret}} with a new value and expiresOn (the CIK: POST /api/resources/{r}/rotateChannelIntegrityKey)",
            _ => $"POST /api/resources/{r}/recoverVault",
        };
    }
}
