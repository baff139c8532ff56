namespace EdgeKv.Emulator.Arm;

/// <summary>
/// The resource providers and types the emulator serves, each with the api-versions Azure publishes for it in
/// Azure/azure-rest-api-specs (stable and preview), newest first: every one for Key Vault, Storage, Data Box Edge and
/// Managed Identity, those of the last five years for the others. Where a type has published nothing newer (locks,
/// diagnostic settings), the versions the current SDKs still send are kept. platform/emulator/README.md carries the
/// same table; a test keeps the two equal.
/// </summary>
internal static class ProviderCatalog
{
    /// <summary>
    /// specification/keyvault/resource-manager (Microsoft.KeyVault/KeyVault readme tags): every published version, back
    /// to 2015-06-01; each answers the current wire shape (fields an old client does not know, it ignores).
    /// </summary>
    private static readonly string[] KeyVaultVersions =
    [
        "2026-04-01", "2026-04-01-preview", "2026-03-01-preview", "2026-02-01", "2025-05-01", "2024-12-01-preview",
        "2024-11-01", "2024-04-01-preview", "2023-07-01", "2023-02-01", "2022-11-01", "2022-07-01",
        "2022-02-01-preview",
        "2021-11-01-preview", "2021-10-01", "2021-06-01-preview", "2021-04-01-preview", "2020-04-01-preview",
        "2019-09-01",
        "2018-02-14", "2018-02-14-preview", "2016-10-01", "2015-06-01",
    ];

    /// <summary>
    /// specification/storage/resource-manager (Microsoft.Storage/Storage readme tags): every published version, back to
    /// 2015-05-01-preview; each answers the current wire shape.
    /// </summary>
    private static readonly string[] StorageVersions =
    [
        "2026-09-01", "2026-06-01", "2026-04-01", "2025-08-01", "2025-06-01", "2025-01-01", "2024-01-01", "2023-05-01",
        "2023-04-01", "2023-01-01", "2022-09-01", "2022-05-01", "2021-09-01", "2021-08-01", "2021-06-01", "2021-04-01",
        "2021-02-01", "2021-01-01", "2020-08-01-preview", "2019-06-01", "2019-04-01", "2018-11-01", "2018-07-01",
        "2018-03-01-preview", "2018-02-01", "2017-10-01", "2017-06-01", "2016-12-01", "2016-05-01", "2016-01-01",
        "2015-06-15", "2015-05-01-preview",
    ];

    /// <summary>Blob service properties (<c>blobServices/default</c>) are published from 2018-07-01 on.</summary>
    private static readonly string[] BlobServicesVersions = [.. StorageVersions.TakeWhile(v => v != "2018-07-01"),
        "2018-07-01"];

    /// <summary>
    /// specification/databoxedge/resource-manager (Microsoft.DataBoxEdge/DataBoxEdge readme tags): every published
    /// version.
    /// </summary>
    private static readonly string[] DataBoxEdgeVersions =
    [
        "2023-12-01", "2023-07-01", "2023-01-01-preview", "2022-12-01-preview", "2022-04-01-preview", "2022-03-01",
            "2021-06-01",
        "2021-06-01-preview", "2021-02-01", "2021-02-01-preview", "2020-12-01", "2020-09-01", "2020-09-01-preview",
        "2020-05-01-preview",
        "2019-08-01", "2019-07-01", "2019-03-01",
    ];

    /// <summary>
    /// specification/msi/resource-manager (Microsoft.ManagedIdentity/ManagedIdentity readme tags): every published
    /// version.
    /// </summary>
    private static readonly string[] ManagedIdentityVersions =
    [
        "2026-05-31", "2025-05-31-preview", "2025-01-31-preview", "2024-11-30", "2023-07-31-preview", "2023-01-31",
            "2022-01-31-preview",
        "2021-09-30-preview", "2018-11-30", "2015-08-31-preview",
    ];

    /// <summary>
    /// specification/resources/resource-manager (Microsoft.Authorization locks): nothing newer than 2020-05-01 was
    /// published; both versions are what the SDKs send (the current ones 2020-05-01).
    /// </summary>
    private static readonly string[] LocksVersions = ["2020-05-01", "2016-09-01"];

    /// <summary>specification/authorization/resource-manager (role assignments and definitions).</summary>
    private static readonly string[] RoleAssignmentsVersions = ["2022-04-01"];

    private static readonly string[] RoleDefinitionsVersions = ["2022-05-01-preview", "2022-04-01"];

    /// <summary>
    /// specification/monitor/resource-manager (diagnosticsSettings_API.json): 2021-05-01-preview is the newest and the
    /// one current SDKs send; 2017-05-01-preview is what the monitor SDKs of 2024 (@azure/arm-monitor 7) still send.
    /// </summary>
    private static readonly string[] DiagnosticSettingsVersions = ["2021-05-01-preview", "2017-05-01-preview"];

    /// <summary>
    /// specification/monitor/resource-manager (metrics_API.json, metricDefinitions_API.json): Azure.Monitor.Query
    /// 1.7.1's MetricsQueryClient sends 2023-10-01 (probed); 2024-02-01 and 2021-05-01 are the other stable versions of
    /// the last five years, 2018-01-01 what older clients and Microsoft's documentation still use.
    /// </summary>
    private static readonly string[] MetricsVersions = ["2024-02-01", "2023-10-01", "2021-05-01", "2018-01-01"];

    /// <summary>specification/eventgrid/resource-manager (Microsoft.EventGrid/EventGrid readme tags).</summary>
    private static readonly string[] EventGridVersions =
    [
        "2025-07-15-preview", "2025-04-01-preview", "2025-02-15", "2024-12-15-preview", "2024-06-01-preview",
        "2023-12-15-preview", "2023-06-01-preview", "2022-06-15", "2021-12-01",
    ];

    /// <summary>
    /// Microsoft.Resources (resource groups, providers, the generic resource list). 2015-11-01 stays: every
    /// Key Vault management SDK lists vaults through <c>GET /subscriptions/{s}/resources</c> with it.
    /// </summary>
    private static readonly string[] ResourcesVersions =
    [
        "2025-04-01", "2025-03-01", "2024-11-01", "2024-07-01", "2024-03-01", "2023-07-01", "2022-09-01", "2021-04-01",
        "2021-01-01", "2020-10-01", "2020-06-01", "2019-10-01", "2015-11-01",
    ];

    private static readonly string[] SubscriptionsVersions = ["2022-12-01", "2021-01-01", "2020-01-01", "2019-11-01",
        "2016-06-01"];

    public static IReadOnlyList<string> Locations { get; } = ["westus2", "eastus", "westeurope", "northeurope",
        "global"];

    /// <summary>Provider namespaces and their resource types with api-versions.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Providers { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.KeyVault"] = Types(KeyVaultVersions, "vaults", "vaults/accessPolicies", "deletedVaults",
                "locations/deletedVaults",
                "locations/operationResults", "checkNameAvailability"),
            ["Microsoft.Storage"] = new Dictionary<string, string[]>(Types(StorageVersions, "storageAccounts",
                "checkNameAvailability", "locations/asyncoperations"),
                StringComparer.OrdinalIgnoreCase) { ["storageAccounts/blobServices"] = BlobServicesVersions },
            ["Microsoft.DataBoxEdge"] = Types(DataBoxEdgeVersions, "dataBoxEdgeDevices"),
            ["Microsoft.ManagedIdentity"] = Types(ManagedIdentityVersions, "userAssignedIdentities"),
            ["Microsoft.Insights"] = Types(DiagnosticSettingsVersions, "diagnosticSettings")
                .Concat(Types(MetricsVersions, "metrics",
                    "metricDefinitions")).ToDictionary(StringComparer.OrdinalIgnoreCase),
            ["Microsoft.EventGrid"] = Types(EventGridVersions, "eventSubscriptions"),
            ["Microsoft.Authorization"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
            {
                ["locks"] = LocksVersions,
                ["roleAssignments"] = RoleAssignmentsVersions,
                ["roleDefinitions"] = RoleDefinitionsVersions,
            },
        };

    /// <summary>Every served type with its versions, Microsoft.Resources included: the README's table.</summary>
    public static IEnumerable<(string Type, IReadOnlyList<string> Versions)> AllTypes =>
        new (string, IReadOnlyList<string>)[]
        {
            ("Microsoft.Resources/subscriptions", SubscriptionsVersions),
            ("Microsoft.Resources (resourceGroups, providers, resources)", ResourcesVersions),
        }.Concat(Providers.SelectMany(p => p.Value.Select(t => ($"{p.Key}/{t.Key}", (IReadOnlyList<string>)t.Value))));

    /// <summary>Namespaces that are always registered (Azure registers them on every subscription).</summary>
    public static IReadOnlyList<string> AlwaysRegistered { get; } = ["Microsoft.Resources", "Microsoft.Authorization"];

    public static bool IsResourcesType(string resourceType) => resourceType.StartsWith("Microsoft.Resources/",
        StringComparison.OrdinalIgnoreCase);

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
        return Providers.TryGetValue(resourceType[..slash],
            out var types) && types.TryGetValue(resourceType[(slash + 1)..], out var versions)
            ? versions
            : [];
    }

    /// <summary>
    /// Whether <paramref name="apiVersion"/> is at least <paramref name="first"/> (dates compare as text; a preview
    /// sorts with its date).
    /// </summary>
    public static bool IsAtLeast(string apiVersion, string first) =>
        string.CompareOrdinal(apiVersion[..Math.Min(10, apiVersion.Length)], first[..Math.Min(10, first.Length)]) >= 0;

    private static Dictionary<string, string[]> Types(string[] versions, params string[] types) =>
        types.ToDictionary(t => t, _ => versions, StringComparer.OrdinalIgnoreCase);
}
