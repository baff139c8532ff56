// Resource Manager's events of a fleet subscription: vault deletions and vault writes (an access-policy write is one) in
// any of its resource groups, to the EventGridWebhook function, as main.bicep subscribes its own group's. Deployed by
// main.bicep once per id in fleetSubscriptionIds, with subscribeToVaultDeletions.
targetScope = 'subscription'

@description('The webhook URL with the app\'s default function key (read at deployment by main.bicep).')
@secure()
param webhookUrl string

@description('The fleet\'s home resource group, to tell several EdgeKv deployments\' subscriptions apart.')
param fleetResourceGroup string

// An event subscription on the subscription itself: Event Grid sends the subscription's Resource Manager events.
resource vaultEvents 'Microsoft.EventGrid/eventSubscriptions@2022-06-15' = {
  name: 'edgekv-vaults-${uniqueString(subscription().id, fleetResourceGroup)}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: webhookUrl
        maxEventsPerBatch: 10
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Resources.ResourceDeleteSuccess'
        'Microsoft.Resources.ResourceWriteSuccess'
      ]
      // Every group of the subscription: the vaults are wherever their resources are.
      advancedFilters: [
        {
          operatorType: 'StringContains'
          key: 'subject'
          values: [
            '/providers/Microsoft.KeyVault/vaults/'
          ]
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
