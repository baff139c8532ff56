namespace EdgeKv.Emulator.Arm;

/// <summary>
/// The resource providers and types the emulator serves, each type pinned to the api-versions Azure would
/// accept for the subset emulated (one per provider resource type).
/// </summary>
internal static class ProviderCatalog
{
    public const string KeyVaultVersion = "2023-07-01";
    public const string StorageVersion = "2023-05-01";
    public const string DataBoxEdgeVersion = "2023-12-01";
    public const string LocksVersion = "2016-09-01";
    public const string RoleAssignmentsVersion = "2022-04-01";
    public const string DiagnosticSettingsVersion = "2021-05-01-preview";
    public const string EventGridVersion = "2022-06-15";

    private static readonly string[] ResourcesVersions =
        ["2025-04-01", "2025-03-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-07-01", "2022-09-01", "2021-04-01", "2020-06-01", "2019-10-01"];

    private static readonly string[] SubscriptionsVersions = ["2022-12-01", "2021-01-01", "2020-01-01", "2019-11-01", "2016-06-01"];

    public static IReadOnlyList<string> Locations { get; } = ["westus2", "eastus", "westeurope", "northeurope", "global"];

    /// <summary>Provider namespaces and their resource types with api-versions.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Providers { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.KeyVault"] = Types(KeyVaultVersion, "vaults", "vaults/accessPolicies", "deletedVaults", "locations/deletedVaults",
                "locations/operationResults", "checkNameAvailability"),
            ["Microsoft.Storage"] = Types(StorageVersion, "storageAccounts", "checkNameAvailability", "locations/asyncoperations"),
            ["Microsoft.DataBoxEdge"] = Types(DataBoxEdgeVersion, "dataBoxEdgeDevices"),
            ["Microsoft.Insights"] = Types(DiagnosticSettingsVersion, "diagnosticSettings"),
            ["Microsoft.EventGrid"] = Types(EventGridVersion, "eventSubscriptions"),
            ["Microsoft.Authorization"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
            {
                ["locks"] = [LocksVersion],
                ["roleAssignments"] = [RoleAssignmentsVersion],
                ["roleDefinitions"] = [RoleAssignmentsVersion],
            },
        };

    /// <summary>Namespaces that are always registered (Azure registers them on every subscription).</summary>
    public static IReadOnlyList<string> AlwaysRegistered { get; } = ["Microsoft.Resources", "Microsoft.Authorization"];

    public static bool IsResourcesType(string resourceType) => resourceType.StartsWith("Microsoft.Resources/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Supported api-versions of a type key such as <c>Microsoft.KeyVault/vaults</c>.</summary>
    public static IReadOnlyList<string> VersionsOf(string resourceType)
    {
        if (resourceType.Equals("Microsoft.Resources/subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return SubscriptionsVersions;
        }

        if (IsResourcesType(resourceType))
        {
            return ResourcesVersions;
        }

        var slash = resourceType.IndexOf('/', StringComparison.Ordinal);
        return Providers.TryGetValue(resourceType[..slash], out var types) && types.TryGetValue(resourceType[(slash + 1)..], out var versions)
            ? versions
            : [];
    }

    private static Dictionary<string, string[]> Types(string version, params string[] types) =>
        types.ToDictionary(t => t, _ => new[] { version }, StringComparer.OrdinalIgnoreCase);
}
