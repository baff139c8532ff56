// EdgeKv's Azure side, deployed into the resource group that holds the fleet (the Azure Stack Edge resources, their
// key vaults and audit storage accounts):
//   - the identity EdgeKv runs as (user-assigned; attach it to the VM or pod that runs EdgeKv),
//   - what that identity may do in the group, and nothing more: Contributor for vaults, storage accounts, diagnostic
//     settings and the devices; a custom role for management locks (Contributor cannot write locks, and Owner or
//     User Access Administrator would also let it hand out roles),
//   - optionally, the Event Grid subscription that tells EdgeKv at once when a vault in the group is deleted.
// Deploy: az deployment group create -g <fleet-rg> -f infra/main.bicep \
//   [-p vaultEventsWebhookUrl='https://edgekv.example.net/runtime/webhooks/eventgrid?functionName=VaultEvents&code=<key>']
// The Entra app registration with EdgeKv's app roles and the registration of Microsoft.KeyVault on the subscription
// are one-time steps outside this template (README, "In Azure").

targetScope = 'resourceGroup'

@description('Where the identity lives (the resource group\'s region by default).')
param location string = resourceGroup().location

@description('Name of EdgeKv\'s user-assigned managed identity.')
@minLength(3)
@maxLength(128)
param identityName string = 'edgekv'

@description('EdgeKv\'s Event Grid webhook with its key: https://<edgekv>/runtime/webhooks/eventgrid?functionName=VaultEvents&code=<eventgrid_extension key>. Empty: no subscription (deploy again once EdgeKv runs: Event Grid validates the endpoint when the subscription is created).')
@secure()
param vaultEventsWebhookUrl string = ''

var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var subscribeToVaultDeletions = !empty(vaultEventsWebhookUrl)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
}

// Vaults, storage accounts, diagnostic settings and the Azure Stack Edge resources of the group.
resource contributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identity.id, contributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv provisions and heals the key vaults, audit storage and diagnostic settings of the fleet.'
  }
}

// Locks only: EdgeKv locks every vault and audit storage account it creates, and removes a vault's lock when the
// security team deletes the resource with the vault.
resource lockOperatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'edgekv-lock-operator')
  properties: {
    roleName: 'EdgeKv lock operator (${resourceGroup().name})'
    description: 'Read, create and delete management locks; nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
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

resource lockOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identity.id, lockOperatorRole.id)
  properties: {
    roleDefinitionId: lockOperatorRole.id
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv locks the vaults and audit storage accounts it creates.'
  }
}

// Resource Manager's events for the group; EdgeKv listens for vault deletions only.
resource groupEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = if (subscribeToVaultDeletions) {
  name: 'edgekv-${uniqueString(resourceGroup().id)}'
  location: 'global'
  properties: {
    source: resourceGroup().id
    topicType: 'Microsoft.Resources.ResourceGroups'
  }
}

resource vaultDeletions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (subscribeToVaultDeletions) {
  parent: groupEvents
  name: 'edgekv-vault-deletions'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: vaultEventsWebhookUrl
        maxEventsPerBatch: 10
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Resources.ResourceDeleteSuccess'
      ]
      subjectBeginsWith: '${resourceGroup().id}/providers/Microsoft.KeyVault/vaults/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

@description('Set AZURE_CLIENT_ID to this on the host, so DefaultAzureCredential picks this identity.')
output identityClientId string = identity.properties.clientId

@description('The identity\'s object id (EdgeKv:Azure:ServiceObjectId).')
output identityPrincipalId string = identity.properties.principalId

@description('EdgeKv:Azure:SubscriptionId and EdgeKv:Azure:ResourceGroup for the host.')
output fleet object = {
  subscriptionId: subscription().subscriptionId
  resourceGroup: resourceGroup().name
  location: location
}
