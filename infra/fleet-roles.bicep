// EdgeKv's roles on a whole subscription of the fleet, for fleets whose Azure Stack Edge resources live in resource
// groups other than EdgeKv's own (the seed: each vault goes beside its resource, in the resource's subscription and
// group). The same roles main.bicep grants on the fleet's group, and the same read-only role at the subscription, only
// scoped wider: Contributor for vaults, storage accounts, diagnostic settings and the devices; a locks-only custom
// role; Storage Blob Data Reader for the vaults' audit logs; the subscription reader of subscription-roles.bicep.
// Never Owner or User Access Administrator. Deployed by main.bicep once per id in fleetSubscriptionIds.
targetScope = 'subscription'

@description('The object id of EdgeKv\'s identity.')
param principalId string

@description('The fleet\'s home resource group (EdgeKv\'s own), named in the roles so that one tenant can hold several EdgeKv deployments.')
param fleetResourceGroup string

var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var blobDataReaderRoleId = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'

// Custom role names are unique in the tenant: the subscription is part of the name.
resource fleetLockOperatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, fleetResourceGroup, 'edgekv-fleet-lock-operator')
  properties: {
    roleName: 'EdgeKv lock operator (${fleetResourceGroup}, ${subscription().subscriptionId})'
    description: 'Read, create and delete management locks; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      subscription().id
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
  name: guid(subscription().id, fleetResourceGroup, 'edgekv-fleet-subscription-reader')
  properties: {
    roleName: 'EdgeKv subscription reader (${fleetResourceGroup}, ${subscription().subscriptionId})'
    description: 'Read provider registrations, name availability and soft-deleted vaults; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      subscription().id
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
  name: guid(subscription().id, principalId, contributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv provisions and heals the key vaults, audit storage and diagnostic settings beside each Azure Stack Edge resource.'
  }
}

resource fleetAuditLogReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, blobDataReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv reads the vaults\' audit logs from their audit storage accounts.'
  }
}

resource fleetLockOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, fleetLockOperatorRole.id)
  properties: {
    roleDefinitionId: fleetLockOperatorRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv locks the vaults and audit storage accounts it creates.'
  }
}

resource fleetSubscriptionReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, fleetSubscriptionReaderRole.id)
  properties: {
    roleDefinitionId: fleetSubscriptionReaderRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv checks providers and names, and finds soft-deleted vaults, at the subscription.'
  }
}
