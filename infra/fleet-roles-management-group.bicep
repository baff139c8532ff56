// EdgeKv's roles on a management group, for fleets spread over the subscriptions under it: the same roles as
// fleet-roles.bicep (and main.bicep on the fleet's group), the custom ones assignable at the management group. Not
// deployed by main.bicep (a resource-group deployment cannot reach a management group); deploy it on its own:
//   az deployment mg create -m <group> -l <region> -f infra/fleet-roles-management-group.bicep \
//     -p principalId=<EdgeKv identity's object id> fleetResourceGroup=<EdgeKv's resource group>
// Never Owner or User Access Administrator.
targetScope = 'managementGroup'

@description('The object id of EdgeKv\'s identity.')
param principalId string

@description('The fleet\'s home resource group (EdgeKv\'s own), named in the roles so that one tenant can hold several EdgeKv deployments.')
param fleetResourceGroup string

var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var blobDataReaderRoleId = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'

// Custom role names are unique in the tenant: the management group is part of the name.
resource fleetLockOperatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(managementGroup().id, fleetResourceGroup, 'edgekv-fleet-lock-operator')
  properties: {
    roleName: 'EdgeKv lock operator (${fleetResourceGroup}, ${managementGroup().name})'
    description: 'Read, create and delete management locks; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      managementGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/locks/read'
          'Microsoft.Authorization/locks/write'
          'Microsoft.Authorization/locks/delete'
        ]
        notActions: []
      }
    ]
  }
}

resource fleetSubscriptionReaderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(managementGroup().id, fleetResourceGroup, 'edgekv-fleet-subscription-reader')
  properties: {
    roleName: 'EdgeKv subscription reader (${fleetResourceGroup}, ${managementGroup().name})'
    description: 'Read provider registrations, name availability and soft-deleted vaults; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      managementGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Resources/subscriptions/providers/read'
          'Microsoft.KeyVault/checkNameAvailability/read'
          'Microsoft.KeyVault/deletedVaults/read'
          'Microsoft.KeyVault/locations/deletedVaults/read'
          'Microsoft.Storage/checkNameAvailability/read'
        ]
        notActions: []
      }
    ]
  }
}

resource fleetContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, contributorRoleId)
  properties: {
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv provisions and heals the key vaults, audit storage and diagnostic settings beside each Azure Stack Edge resource.'
  }
}

resource fleetAuditLogReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, blobDataReaderRoleId)
  properties: {
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', blobDataReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv reads the vaults\' audit logs from their audit storage accounts.'
  }
}

resource fleetLockOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, fleetLockOperatorRole.id)
  properties: {
    roleDefinitionId: fleetLockOperatorRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv locks the vaults and audit storage accounts it creates.'
  }
}

resource fleetSubscriptionReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, fleetSubscriptionReaderRole.id)
  properties: {
    roleDefinitionId: fleetSubscriptionReaderRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv checks providers and names, and finds soft-deleted vaults, in the subscriptions under the group.'
  }
}
