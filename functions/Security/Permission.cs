namespace EdgeKv.Functions.Security;

/// <summary>
/// What a function needs. Each HTTP function declares exactly one, with the scope it is decided at, as
/// <c>[RequiresPermission(Permission.X, ActionScope.Y)]</c> (the host's own routes with
/// <c>.RequireEdgeKvPermission(Permission.X, ActionScope.Y)</c>);
/// <see cref="RolePermissions"/> says which roles hold it. Management-plane and data-plane rights are separate values.
/// </summary>
public enum Permission
{
    /// <summary>
    /// Management plane, read: resources, status, security summary, identity, locks, diagnostics, access policies.
    /// </summary>
    ResourcesRead,

    /// <summary>Management plane: create or adopt resources.</summary>
    ResourcesWrite,

    /// <summary>Management plane: generate, regenerate and hand out activation keys.</summary>
    ActivationManage,

    /// <summary>Management plane: sync and recovery flows.</summary>
    RecoveryManage,

    /// <summary>Management plane: delete resources and vaults.</summary>
    ResourcesDelete,

    /// <summary>
    /// Management plane: EdgeKv's role assignments, vault access policies and the webhooks' system keys.
    /// </summary>
    AccessManage,

    /// <summary>Read EdgeKv's audit trail, the vaults' audit logs and insights.</summary>
    AuditRead,

    /// <summary>Data plane: secret names, versions and attributes (never values).</summary>
    SecretNamesRead,

    /// <summary>Data plane: secret values (each read audited).</summary>
    SecretValuesRead,

    /// <summary>Data plane: write customer secrets.</summary>
    SecretValuesWrite,

    /// <summary>
    /// Key management: create, update, rotate, distribute, remove and delete keys; register and delete KMS providers.
    /// </summary>
    KeysManage,

    /// <summary>Durable instance-management API, read (status, history without values, lists).</summary>
    OrchestrationsRead,

    /// <summary>
    /// Durable instance-management API: start, raise events, terminate, suspend, resume, restart, purge.
    /// </summary>
    OrchestrationsManage,

    /// <summary>
    /// A device: its own activation state, its own secrets (get, set) and customer secrets as ciphertext.
    /// </summary>
    DeviceSelf,

    /// <summary>
    /// Key management, read: keys' and KMS providers' metadata and distributions (never key material or credentials).
    /// </summary>
    KeysRead,
}
