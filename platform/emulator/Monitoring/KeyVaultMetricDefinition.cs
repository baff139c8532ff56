namespace EdgeKv.Emulator.Monitoring;

/// <summary>One of Key Vault's platform metrics as Azure Monitor's metric definitions describe it.</summary>
internal sealed record KeyVaultMetricDefinition(
    string Name, string DisplayName, string Description, string Unit, string PrimaryAggregation,
    IReadOnlyList<string> Aggregations,
    IReadOnlyList<string> Dimensions)
{
    public const string Namespace = "Microsoft.KeyVault/vaults";

    private static readonly string[] RequestDimensions = ["ActivityType", "ActivityName"];
    private static readonly string[] ResultDimensions = ["ActivityType", "ActivityName", "StatusCode",
        "StatusCodeClass"];

    /// <summary>
    /// The vault metrics the emulator derives from what it served (Microsoft's "Supported metrics for
    /// Microsoft.KeyVault/vaults"; SaturationShoebox is left out: the emulator has no capacity to saturate).
    /// </summary>
    public static IReadOnlyList<KeyVaultMetricDefinition> All { get; } =
    [
        new("ServiceApiHit", "Total Service Api Hits", "Number of total service api hits", "Count", "Count",
            ["Count", "Total"], RequestDimensions),
        new("ServiceApiLatency", "Overall Service Api Latency", "Overall latency of service api requests",
            "MilliSeconds", "Average",
            ["Average", "Count", "Maximum", "Minimum", "Total"], ResultDimensions),
        new("ServiceApiResult", "Total Service Api Results", "Number of total service api results", "Count", "Count",
            ["Count", "Total"], ResultDimensions),
        new("Availability", "Overall Vault Availability", "Vault requests availability", "Percent", "Average",
            ["Average", "Minimum", "Maximum"],
            ResultDimensions),
    ];

    public static KeyVaultMetricDefinition? Find(string name) =>
        All.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
