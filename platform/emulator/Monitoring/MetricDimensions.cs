namespace EdgeKv.Emulator.Monitoring;

/// <summary>The dimensions Key Vault's metrics are split by.</summary>
internal sealed record MetricDimensions(string ActivityType, string ActivityName, int StatusCode)
{
    public string StatusCodeClass => $"{StatusCode / 100}xx";

    /// <summary>
    /// The value of a dimension by its metric name (case-insensitive), or null for one Key Vault does not have.
    /// </summary>
    public string? this[string dimension] => dimension.ToUpperInvariant() switch
    {
        "ACTIVITYTYPE" => ActivityType,
        "ACTIVITYNAME" => ActivityName,
        "STATUSCODE" => StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "STATUSCODECLASS" => StatusCodeClass,
        _ => null,
    };
}
