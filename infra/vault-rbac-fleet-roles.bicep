// RBAC mode with a fleet beyond the group (main.bicep's fleetSubscriptionIds): EdgeKv's right to assign its two vault
// data roles (vault-rbac-roles.bicep, which makes them assignable in each fleet subscription) at the vaults it creates in
// this subscription, and no other role: role assignment read, write and delete under the same "constrain roles"
// condition as on the group. Deployed by main.bicep once per id in fleetSubscriptionIds, only in that mode.
targetScope = 'subscription'

@description('The object id of EdgeKv\'s identity.')
param principalId string

@description('The fleet\'s home resource group (EdgeKv\'s own), named in the role so that one tenant can hold several EdgeKv deployments.')
param fleetResourceGroup string

@description('The GUID of the device identity\'s vault role (vault-rbac-roles.bicep).')
param deviceRoleDefinitionId string

@description('The GUID of EdgeKv\'s own vault role (vault-rbac-roles.bicep).')
param serviceRoleDefinitionId string

resource fleetVaultRoleAssignerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, fleetResourceGroup, 'edgekv-fleet-vault-role-assigner')
  properties: {
    roleName: 'EdgeKv vault role assigner (${fleetResourceGroup}, ${subscription().subscriptionId})'
    description: 'Read, create and delete role assignments; EdgeKv\'s assignment of it is conditioned on its two vault data roles.'
    type: 'CustomRole'
    assignableScopes: [
      subscription().id
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

var constrainToVaultRoles = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${deviceRoleDefinitionId}, ${serviceRoleDefinitionId}})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${deviceRoleDefinitionId}, ${serviceRoleDefinitionId}}))'

resource fleetVaultRoleAssigner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, fleetVaultRoleAssignerRole.id)
  properties: {
    roleDefinitionId: fleetVaultRoleAssignerRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv grants device identities and itself its two vault data roles at the RBAC vaults it creates, and no other role.'
    condition: constrainToVaultRoles
    conditionVersion: '2.0'
  }
}
