// What EdgeKv must read at the subscription, because Azure keeps it there and not in the fleet's resource group, and
// nothing more (no provider registration, no purge, no writes): the provider registrations activation checks, vault and
// storage account name availability, and the soft-deleted vaults that the sweep and recovery look for.
// Deployed by main.bicep as a module at subscription scope (the deploying user needs to create roles there).
targetScope = 'subscription'

@description('The object id of EdgeKv\'s identity.')
param principalId string

@description('The fleet\'s resource group, named in the role so that one subscription can hold several EdgeKv deployments.')
param fleetResourceGroup string

resource subscriptionReaderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, fleetResourceGroup, 'edgekv-subscription-reader')
  properties: {
    roleName: 'EdgeKv subscription reader (${fleetResourceGroup})'
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

resource subscriptionReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, subscriptionReaderRole.id)
  properties: {
    roleDefinitionId: subscriptionReaderRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv checks providers and names, and finds soft-deleted vaults, at the subscription.'
  }
}
