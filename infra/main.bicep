// EdgeKv's Azure side, deployed into the resource group that holds the fleet (the Azure Stack Edge resources, their
// key vaults and audit storage accounts):
//   - the Functions app itself (dotnet-isolated on Linux, Elastic Premium EP1 scaling out to maximumInstances: the
//     durable hub and EdgeKv's own stores both live in the app's storage account, EdgeKv__Store__Type=AzureStorage),
//     its storage account (AzureWebJobsStorage through the app's identity, no connection string; the plan's content
//     share is the one setting that still needs the account key) and app settings,
//   - its telemetry: a workspace-based Application Insights (its data in a Log Analytics workspace), which the worker's
//     OpenTelemetry exporter sends EdgeKv's metrics, invocation traces and logs to (APPLICATIONINSIGHTS_CONNECTION_STRING;
//     host.json's telemetryMode makes the Functions host export the same way, docs/azure.md "Telemetry"),
//   - the identity EdgeKv runs as (user-assigned, attached to the app) and what it may do in the group, nothing more:
//     Contributor for vaults, storage accounts, diagnostic settings and the devices; a custom role for management
//     locks (Contributor cannot write locks, and Owner or User Access Administrator would also let it hand out roles);
//     Storage Blob Data Reader for the vaults' audit logs in the group's audit storage accounts (Contributor carries no
//     data actions: with a bearer token Azure Storage answers 403 without it); at the subscription, a custom read-only
//     role for what Azure keeps there (provider registrations, name availability, soft-deleted vaults:
//     subscription-roles.bicep); with fleetSubscriptionIds, the same roles on each whole subscription listed
//     (fleet-roles.bicep; fleet-roles-management-group.bicep for a management group); on the app's own storage account only, the blob, queue and table data roles the
//     Functions host and the Durable Task hub need. The tests grant EdgeKv's principal in the emulator exactly the
//     group and subscription roles read from this template (platform/local/Emulator/InfraTemplateRoles.cs),
//   - once the code is deployed, the Event Grid subscriptions that send the group's vault deletions and vault writes
//     (access policies included) to the EventGridWebhook function, and Key Vault's VaultAccessPolicyChanged of the
//     vaults named in accessPolicyEventVaults (Key Vault's own events are per vault; Event Grid validates the endpoint
//     when a subscription is created), and the vault deletions and writes of every group of each fleet subscription
//     (fleet-events.bicep).
// Deploy (README, "Deploy to Azure"):
//   az deployment group create -g <fleet-rg> -f infra/main.bicep -p appName=<name>
//   dotnet publish functions -c Release -o publish && (cd publish && zip -r ../edgekv.zip .)
//   az functionapp deployment source config-zip -g <fleet-rg> -n <name> --src edgekv.zip
//   az deployment group create -g <fleet-rg> -f infra/main.bicep -p appName=<name> subscribeToVaultDeletions=true
// The Entra app registration with EdgeKv's app roles and the registration of Microsoft.KeyVault on the subscription
// are one-time steps outside this template (README, "In Azure").

targetScope = 'resourceGroup'

@description('Where the app, its storage and the identity live (the resource group\'s region by default).')
param location string = resourceGroup().location

@description('Name of EdgeKv\'s user-assigned managed identity.')
@minLength(3)
@maxLength(128)
param identityName string = 'edgekv'

@description('Name of the Functions app (its host name is <appName>.azurewebsites.net).')
@minLength(2)
@maxLength(60)
param appName string = 'edgekv-${uniqueString(resourceGroup().id)}'

@description('Subscribe the EventGridWebhook function to the group\'s vault deletions. Set it once the code is deployed: Event Grid validates the endpoint when the subscription is created.')
param subscribeToVaultDeletions bool = false

@description('Vaults (names, in this group) whose Key Vault events (Microsoft.KeyVault.VaultAccessPolicyChanged) go to the webhook as well, with subscribeToVaultDeletions. Key Vault publishes them per vault; the group\'s vault writes reach the webhook for every vault anyway.')
param accessPolicyEventVaults array = []

@description('EdgeKv:Authentication:Audience, the application id URI of EdgeKv\'s app registration.')
param authenticationAudience string = 'api://edgekv'

@description('EdgeKv:Authentication:ClientId, the client id of EdgeKv\'s app registration: the audience of its v2 tokens (empty: v1 tokens only, whose audience is the application id URI).')
param authenticationClientId string = ''

@description('EdgeKv:Authentication:Authority, https://login.microsoftonline.com/{tenant}/v2.0 (this tenant by default).')
param authenticationAuthority string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'

@description('The health sweep\'s NCRONTAB schedule (six fields, UTC).')
param healthSweepSchedule string = '0 */15 * * * *'

@description('How many instances the plan may scale out to. Every instance shares the durable hub and EdgeKv\'s own stores in the app\'s storage account.')
@minValue(1)
@maxValue(20)
param maximumInstances int = 4

@description('How many days the Log Analytics workspace keeps EdgeKv\'s telemetry (Application Insights data).')
@minValue(30)
@maxValue(730)
param telemetryRetentionDays int = 90

@description('Days the audit container of each audit storage account keeps every audit log unchangeable (a time-based retention policy set at activation); 0 = none.')
@minValue(0)
@maxValue(146000)
param auditImmutabilityDays int = 365

@description('Whether audit storage accounts accept account keys and SAS (off: Entra identities only, which is all EdgeKv and Azure Monitor use).')
param auditAllowSharedKeyAccess bool = false

@description('Further subscriptions whose resource groups hold Azure Stack Edge resources EdgeKv manages (their vaults go beside them): EdgeKv\'s identity gets the same roles on each whole subscription (fleet-roles.bicep). This one included, if its other groups hold resources. For a management group, deploy fleet-roles-management-group.bicep on its own.')
param fleetSubscriptionIds array = []

@description('EdgeKv:VaultPermissionModel, how the vaults activation creates authorize their data plane: AccessPolicies (the seed\'s) or Rbac (two custom roles defined here, assigned by EdgeKv at each vault; EdgeKv gets the right to assign those two roles only, vault-rbac-roles.bicep).')
@allowed([
  'AccessPolicies'
  'Rbac'
])
param vaultPermissionModel string = 'AccessPolicies'

var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var blobDataReaderRoleId = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var webhookUrl = subscribeToVaultDeletions ? 'https://${app.properties.defaultHostName}/api/eventgrid?functionName=VaultEvents&code=${listKeys('${app.id}/host/default', '2023-12-01').functionKeys.default}' : ''
// On the app's storage account only: what the Functions host (leases, timers, keys) and the Durable Task hub
// (queues, tables, blobs) need through the identity.
var storageDataRoleIds = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]
var storageName = take('edgekv${uniqueString(resourceGroup().id, appName)}', 24)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Stays on for this account only: the Elastic Premium plan's content share (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING)
    // is an Azure Files share the platform mounts with the account key. The host, the Durable hub and EdgeKv's stores
    // use the identity. The audit storage accounts EdgeKv creates per resource have it off (EdgeKv__AuditStorage__*).
    allowSharedKeyAccess: true
  }
}

resource storageData 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in storageDataRoleIds: {
  name: guid(storage.id, identity.id, roleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'The Functions host and the Durable Task hub of EdgeKv use the app\'s own storage account.'
  }
}]

// The key-encryption key of EdgeKv's key store: every instance reads the key material any instance stored, so the key
// that wraps it is one vault key all of them use (wrapKey/unwrapKey only), never a file an instance makes for itself.
// Premium, so the key stays in an HSM; purge protection, because losing it loses every customer key EdgeKv holds.
resource keyEncryptionVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('edgekvkek${uniqueString(resourceGroup().id, appName)}', 24)
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'premium' }
    enableSoftDelete: true
    enablePurgeProtection: true
    accessPolicies: [
      {
        tenantId: tenant().tenantId
        objectId: identity.properties.principalId
        permissions: { keys: [ 'get', 'wrapKey', 'unwrapKey' ] }
      }
    ]
  }
}

resource keyEncryptionKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: keyEncryptionVault
  name: 'edgekv-kek'
  properties: {
    kty: 'RSA-HSM'
    keySize: 3072
    keyOps: [ 'wrapKey', 'unwrapKey' ]
  }
}

// Workspace-based Application Insights: classic (non-workspace) resources are retired; the data lives in the workspace.
resource telemetryWorkspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${take(appName, 58)}-logs' // a workspace name has at most 63 characters
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: telemetryRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${appName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: telemetryWorkspace.id
    IngestionMode: 'LogAnalytics'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${appName}-plan'
  location: location
  kind: 'elastic'
  sku: {
    name: 'EP1'
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumInstances
  }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      functionAppScaleLimit: maximumInstances
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}' }
        { name: 'WEBSITE_CONTENTSHARE', value: toLower(appName) }
        // EdgeKv signs in as this identity (ManagedIdentityCredential through the app's IDENTITY_ENDPOINT); the rehearsal
        // in tests/EdgeKv.EndToEnd.Tests/AzureModeRehearsalTests.cs runs the app with these settings against the emulator.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'EdgeKv__Azure__Mode', value: 'Azure' }
        { name: 'EdgeKv__Azure__SubscriptionId', value: subscription().subscriptionId }
        { name: 'EdgeKv__Azure__ResourceGroup', value: resourceGroup().name }
        { name: 'EdgeKv__Azure__Location', value: location }
        { name: 'EdgeKv__Azure__ServiceObjectId', value: identity.properties.principalId }
        { name: 'EdgeKv__Authentication__Audience', value: authenticationAudience }
        { name: 'EdgeKv__Authentication__ClientId', value: authenticationClientId }
        { name: 'EdgeKv__Authentication__Authority', value: authenticationAuthority }
        { name: 'EdgeKv__DataPath', value: '/home/data/edgekv' }
        { name: 'HealthSweepSchedule', value: healthSweepSchedule }
        // How activation creates each audit storage account (AuditStorageSettings: TLS 1.2 and no public blob access are its defaults).
        { name: 'EdgeKv__AuditStorage__AllowSharedKeyAccess', value: string(auditAllowSharedKeyAccess) }
        { name: 'EdgeKv__AuditStorage__ImmutabilityDays', value: string(auditImmutabilityDays) }
        { name: 'EdgeKv__VaultPermissionModel', value: vaultPermissionModel }
        // RBAC mode: the two vault data roles infra defines (EdgeKv assigns them, never writes a role definition).
        { name: 'EdgeKv__VaultRoles__DeviceRoleDefinitionId', value: vaultPermissionModel == 'Rbac' ? vaultRbacRoles!.outputs.deviceRoleDefinitionId : '' }
        { name: 'EdgeKv__VaultRoles__ServiceRoleDefinitionId', value: vaultPermissionModel == 'Rbac' ? vaultRbacRoles!.outputs.serviceRoleDefinitionId : '' }
        // The Durable extension runs on the app's storage account: host.json names the AzureStorage provider (the local
        // host's own SQLite hub is its app setting EdgeKv__TaskHub__StorageProvider, never read here).
        // EdgeKv's own state (resources, alerts, roles, audit trail, signing and webhook keys) in the same account, through
        // AzureWebJobsStorage__accountName and the identity, so every instance reads and writes the same records.
        { name: 'EdgeKv__Store__Type', value: 'AzureStorage' }
        { name: 'EdgeKv__Store__EndpointSuffix', value: environment().suffixes.storage }
        // The key store's envelopes are wrapped by the shared vault key above (a per-instance key file is refused with shared stores).
        { name: 'EdgeKv__Keys__KeyEncryptionKeyVaultUri', value: keyEncryptionVault.properties.vaultUri }
        { name: 'EdgeKv__Keys__KeyEncryptionKeyName', value: keyEncryptionKey.name }
        // Where the worker's OpenTelemetry exporter (and the Functions host) send telemetry (TelemetryServices.cs).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        // The cloud this template is deployed to, for every client EdgeKv builds (environment() calls the public cloud AzureCloud).
        { name: 'EdgeKv__Azure__Cloud', value: environment().name == 'AzureCloud' ? 'AzurePublicCloud' : environment().name }
      ]
    }
  }
  dependsOn: [
    storageData
  ]
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

// The vaults' audit logs (the Security page's audit logs and insights) in the audit storage accounts EdgeKv creates in
// the group: read only. The group is the narrowest scope that covers accounts created after this deployment.
resource auditLogReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identity.id, blobDataReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataReaderRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'EdgeKv reads the vaults\' audit logs from their audit storage accounts.'
  }
}

// What Azure keeps at the subscription: provider registrations, name availability, soft-deleted vaults (read only).
module subscriptionRoles 'subscription-roles.bicep' = {
  name: 'edgekv-subscription-roles'
  scope: subscription()
  params: {
    principalId: identity.properties.principalId
    fleetResourceGroup: resourceGroup().name
  }
}

// A fleet beyond this group: the same roles on each listed subscription (least privilege kept: the same roles, scoped wider).
module fleetRoles 'fleet-roles.bicep' = [for subscriptionId in fleetSubscriptionIds: {
  name: 'edgekv-fleet-roles-${uniqueString(subscriptionId, resourceGroup().id)}'
  scope: subscription(subscriptionId)
  params: {
    principalId: identity.properties.principalId
    fleetResourceGroup: resourceGroup().name
  }
}]

// RBAC mode only: EdgeKv's two vault data roles, and the right to assign those two only at the vaults it creates.
module vaultRbacRoles 'vault-rbac-roles.bicep' = if (vaultPermissionModel == 'Rbac') {
  name: 'edgekv-vault-rbac-roles'
  params: {
    principalId: identity.properties.principalId
    fleetSubscriptionIds: fleetSubscriptionIds
  }
}

// RBAC mode with a fleet: the same conditioned right to assign those two roles in each listed subscription.
module vaultRbacFleetRoles 'vault-rbac-fleet-roles.bicep' = [for subscriptionId in fleetSubscriptionIds: if (vaultPermissionModel == 'Rbac') {
  name: 'edgekv-vault-rbac-fleet-${uniqueString(subscriptionId, resourceGroup().id)}'
  scope: subscription(subscriptionId)
  params: {
    principalId: identity.properties.principalId
    fleetResourceGroup: resourceGroup().name
    deviceRoleDefinitionId: vaultRbacRoles!.outputs.deviceRoleDefinitionId
    serviceRoleDefinitionId: vaultRbacRoles!.outputs.serviceRoleDefinitionId
  }
}]

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

// Resource Manager's events for the group; EdgeKv listens for vault deletions and vault writes (a write of a vault's
// access policies is one), which it judges for access-policy drift.
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
        // The webhook function with the app's default function key (read at deployment, never a parameter).
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
      subjectBeginsWith: '${resourceGroup().id}/providers/Microsoft.KeyVault/vaults/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

// The fleet subscriptions' vault deletions and writes, in whichever group their vaults are.
module fleetEvents 'fleet-events.bicep' = [for subscriptionId in fleetSubscriptionIds: if (subscribeToVaultDeletions) {
  name: 'edgekv-fleet-events-${uniqueString(subscriptionId, resourceGroup().id)}'
  scope: subscription(subscriptionId)
  params: {
    webhookUrl: webhookUrl
    fleetResourceGroup: resourceGroup().name
  }
}]

resource watchedVaults 'Microsoft.KeyVault/vaults@2023-07-01' existing = [for name in accessPolicyEventVaults: {
  name: name
}]

// Key Vault's own event, on each named vault (an event subscription on the vault creates its system topic).
resource vaultAccessPolicyEvents 'Microsoft.EventGrid/eventSubscriptions@2022-06-15' = [for (name, i) in accessPolicyEventVaults: if (subscribeToVaultDeletions) {
  name: 'edgekv-access-policies'
  scope: watchedVaults[i]
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
        'Microsoft.KeyVault.VaultAccessPolicyChanged'
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}]

@description('The Functions app: zip-deploy the output of `dotnet publish functions` to it.')
output appName string = app.name

@description('The app\'s endpoint.')
output endpoint string = 'https://${app.properties.defaultHostName}'

@description('The identity\'s client id (the app\'s AZURE_CLIENT_ID).')
output identityClientId string = identity.properties.clientId

@description('The identity\'s object id (EdgeKv:Azure:ServiceObjectId).')
output identityPrincipalId string = identity.properties.principalId

@description('EdgeKv:Azure:SubscriptionId and EdgeKv:Azure:ResourceGroup for the host.')
output fleet object = {
  subscriptionId: subscription().subscriptionId
  resourceGroup: resourceGroup().name
  location: location
}
