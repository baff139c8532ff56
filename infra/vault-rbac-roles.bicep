// With vaultPermissionModel = 'Rbac' (main.bicep), the vaults activation creates use Azure RBAC for their data plane
// instead of access policies. This module defines EdgeKv's two vault data roles (the device identity's: exactly get and
// set on secrets; EdgeKv's own: get, list, set, delete and recover on secrets) and gives EdgeKv's identity the right to
// assign them at the vaults it creates, and nothing more: role assignment read, write and delete on the group, under an
// ABAC condition (Azure's "constrain roles" delegation) that lets it create or delete assignments of those two roles
// only. EdgeKv never writes a role definition, so it cannot define a wider role, nor assign Owner or any other role to
// itself. The roles' GUIDs reach the app as EdgeKv__VaultRoles__* settings (main.bicep). The tests grant EdgeKv's
// principal in the emulator the same, condition included (platform/local/Emulator/TemplateRolesInEmulator.cs).
targetScope = 'resourceGroup'

@description('The object id of EdgeKv\'s identity.')
param principalId string

@description('Subscriptions of the fleet beyond this group (main.bicep\'s fleetSubscriptionIds): the two data roles are assignable at their vaults too.')
param fleetSubscriptionIds array = []

var assignableScopes = concat([resourceGroup().id], map(fleetSubscriptionIds, subscriptionId => '/subscriptions/${subscriptionId}'))

resource deviceSecretAccessRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'edgekv-device-secret-access')
  properties: {
    roleName: 'EdgeKv device secret access (${resourceGroup().name})'
    description: 'Get and set the secrets of the Azure Stack Edge device\'s own key vault; nothing else.'
    type: 'CustomRole'
    assignableScopes: assignableScopes
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/secrets/getSecret/action'
          'Microsoft.KeyVault/vaults/secrets/setSecret/action'
        ]
        notDataActions: []
      }
    ]
  }
}

resource serviceSecretAccessRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'edgekv-service-secret-access')
  properties: {
    roleName: 'EdgeKv service secret access (${resourceGroup().name})'
    description: 'What EdgeKv needs in a device\'s vault: write the Channel Integrity Key, read, list, recover and delete the device\'s secrets.'
    type: 'CustomRole'
    assignableScopes: assignableScopes
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.KeyVault/vaults/secrets/getSecret/action'
          'Microsoft.KeyVault/vaults/secrets/setSecret/action'
          'Microsoft.KeyVault/vaults/secrets/readMetadata/action'
          'Microsoft.KeyVault/vaults/secrets/delete'
          'Microsoft.KeyVault/vaults/secrets/recover/action'
        ]
        notDataActions: []
      }
    ]
  }
}

resource vaultRoleAssignerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'edgekv-vault-role-assigner')
  properties: {
    roleName: 'EdgeKv vault role assigner (${resourceGroup().name})'
    description: 'Read, create and delete role assignments; EdgeKv\'s assignment of it is conditioned on its two vault data roles.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/roleAssignments/read'
          'Microsoft.Authorization/roleAssignments/write'
          'Microsoft.Authorization/roleAssignments/delete'
        ]
        notActions: []
      }
    ]
  }
}

// Azure's "constrain roles" condition: a write must request, and a delete must remove, an assignment of one of the two roles.
var vaultRoleIds = '${deviceSecretAccessRole.name}, ${serviceSecretAccessRole.name}'
var constrainToVaultRoles = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${vaultRoleIds}})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${vaultRoleIds}}))'

resource vaultRoleAssigner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, vaultRoleAssignerRole.id)
  properties: {
    roleDefinitionId: vaultRoleAssignerRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv grants device identities and itself its two vault data roles at the RBAC vaults it creates, and no other role.'
    condition: constrainToVaultRoles
    conditionVersion: '2.0'
  }
}

@description('The GUID of the device identity\'s role (EdgeKv:VaultRoles:DeviceRoleDefinitionId).')
output deviceRoleDefinitionId string = deviceSecretAccessRole.name

@description('The GUID of EdgeKv\'s own role at each vault (EdgeKv:VaultRoles:ServiceRoleDefinitionId).')
output serviceRoleDefinitionId string = serviceSecretAccessRole.name
