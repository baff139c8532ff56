// With vaultPermissionModel = 'Rbac' (main.bicep), the vaults activation creates use Azure RBAC for their data plane
// instead of access policies. EdgeKv then defines two custom roles of its own (the device identity's: exactly get and set
// on secrets; its own: get, list, set, delete and recover on secrets) and assigns them at each vault it creates, so it
// needs to write role definitions and role assignments in the fleet's group, and nothing more (Contributor, which it
// holds for the vaults, cannot). Deployed by main.bicep as a module, only in that mode. The tests grant EdgeKv's principal
// in the emulator this role too when they run EdgeKv in RBAC mode (platform/local/Emulator/TemplateRolesInEmulator.cs).
// Constrain it further where your tenant allows: a condition on the assignment limiting roleAssignments/write to
// EdgeKv's two role ids (docs/security.md, "Vault permission model").
targetScope = 'resourceGroup'

@description('The object id of EdgeKv\'s identity.')
param principalId string

resource vaultRoleAdministratorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'edgekv-vault-role-administrator')
  properties: {
    roleName: 'EdgeKv vault role administrator (${resourceGroup().name})'
    description: 'Define EdgeKv\'s vault data roles and assign them at the vaults EdgeKv creates; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/roleDefinitions/read'
          'Microsoft.Authorization/roleDefinitions/write'
          'Microsoft.Authorization/roleAssignments/read'
          'Microsoft.Authorization/roleAssignments/write'
          'Microsoft.Authorization/roleAssignments/delete'
        ]
        notActions: []
      }
    ]
  }
}

resource vaultRoleAdministrator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, vaultRoleAdministratorRole.id)
  properties: {
    roleDefinitionId: vaultRoleAdministratorRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv grants device identities and itself data access to the RBAC vaults it creates.'
  }
}
