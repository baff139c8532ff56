namespace EdgeKv.Activities;

/// <summary>
/// The GUIDs of EdgeKv's two vault data roles, which infra defines (infra/vault-rbac-roles.bicep) and hands to the app
/// as <c>EdgeKv:VaultRoles:DeviceRoleDefinitionId</c> and <c>EdgeKv:VaultRoles:ServiceRoleDefinitionId</c>: EdgeKv
/// assigns them and never writes a role definition.
/// </summary>
public sealed record VaultRoleIds(Guid Device, Guid Service);
