using global::Azure.Core;

namespace EdgeKv.Azure;

/// <summary>
/// The api-version pinned for every resource type EdgeKv reaches through the generic resource API or raw calls (the SDK
/// never looks them up). Storage accounts are not pinned: Azure.ResourceManager.Storage's typed resources send the
/// version their models were generated for (2025-08-01 in 1.7.0), and an older pin would send newer models to an older
/// API.
/// </summary>
public static class AzureApiVersions
{
    public const string KeyVault = "2023-07-01";
    public const string DataBoxEdge = "2023-12-01";
    public const string Locks = "2016-09-01";
    public const string RoleAssignments = "2022-04-01";
    public const string RoleDefinitions = "2022-04-01";
    public const string DiagnosticSettings = "2021-05-01-preview";
    public const string EventGrid = "2022-06-15";

    public static IReadOnlyDictionary<ResourceType, string> ByResourceType { get; } = new Dictionary<ResourceType, string>
    {
        [new ResourceType("Microsoft.KeyVault/vaults")] = KeyVault,
        [new ResourceType("Microsoft.KeyVault/vaults/accessPolicies")] = KeyVault,
        [new ResourceType("Microsoft.KeyVault/locations/deletedVaults")] = KeyVault,
        [new ResourceType("Microsoft.DataBoxEdge/dataBoxEdgeDevices")] = DataBoxEdge,
        [new ResourceType("Microsoft.Authorization/locks")] = Locks,
        [new ResourceType("Microsoft.Authorization/roleAssignments")] = RoleAssignments,
        [new ResourceType("Microsoft.Authorization/roleDefinitions")] = RoleDefinitions,
        [new ResourceType("Microsoft.Insights/diagnosticSettings")] = DiagnosticSettings,
        [new ResourceType("Microsoft.EventGrid/eventSubscriptions")] = EventGrid,
    };
}
