using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.Monitoring;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Azure Monitor's metrics API for key vaults (metrics_API.json and metricDefinitions_API.json of
/// specification/monitor/resource-manager): <c>GET {vault}/providers/Microsoft.Insights/metrics</c> with
/// <c>metricnames</c>, <c>timespan</c>, <c>interval</c>, <c>aggregation</c>, <c>metricnamespace</c> and a
/// <c>$filter</c> of <c>Dimension eq 'value'</c> clauses (<c>'*'</c> splits by the dimension), and <c>GET
/// {vault}/providers/Microsoft.Insights/metricDefinitions</c>. Values come from the requests the vault served (<see
/// cref="VaultMetrics"/>). Empty intervals carry zero for count metrics and no value for averaged ones, as Azure's.
/// </summary>
internal sealed class MetricsApi(ArmServices services, VaultMetrics metrics) : IArmRouteSource
{
    /// <summary>
    /// At most this many points per time series, so a year at one minute is refused instead of built.
    /// </summary>
    public const int MaxPoints = 100_000;

    private const string VaultScope = "(?<scope>/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.KeyVault/vaults/[^/]+)";
    private static readonly Regex FilterClause = new(@"^\s*(?<dimension>[A-Za-z]+)\s+eq\s+'(?<value>[^']*)'\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, PatternTimeout.Value);

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", VaultScope + "/providers/Microsoft.Insights/metrics", "Microsoft.Insights/metrics",
            "Microsoft.Insights/metrics/read",
            LockCheck.None, ListAsync),
        ArmRoute.Create("GET", VaultScope + "/providers/Microsoft.Insights/metricDefinitions",
            "Microsoft.Insights/metricDefinitions",
            "Microsoft.Insights/metricDefinitions/read", LockCheck.None, DefinitionsAsync),
    ];

    private async Task<ArmResponse> DefinitionsAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var vault = await services.Resources.GetAsync(request["scope"], cancellationToken)
            ?? throw ArmErrors.ParentResourceNotFound(request["scope"]);
        CheckNamespace(request);
        var id = (string)vault["id"]!;
        return ArmResponse.List(KeyVaultMetricDefinition.All.Select(d => (JsonNode)new JsonObject
        {
            ["id"] = $"{id}/providers/microsoft.insights/metricdefinitions/{d.Name}",
            ["resourceId"] = id,
            ["namespace"] = KeyVaultMetricDefinition.Namespace,
            ["name"] = Name(d.Name, d.DisplayName),
            ["displayDescription"] = d.Description,
            ["category"] = "Traffic",
            ["metricClass"] = d.Name == "Availability" ? "Availability" : d.Name == "ServiceApiLatency" ? "Latency" : "Transactions",
            ["isDimensionRequired"] = false,
            ["unit"] = d.Unit,
            ["primaryAggregationType"] = d.PrimaryAggregation,
            ["supportedAggregationTypes"] = new JsonArray([.. d.Aggregations.Select(a => (JsonNode)a)]),
            ["metricAvailabilities"] = new JsonArray([.. new[] { "PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H",
                "PT12H", "P1D" }
                .Select(grain => (JsonNode)new JsonObject { ["timeGrain"] = grain, ["retention"] = "P93D" })]),
            ["dimensions"] = new JsonArray([.. d.Dimensions.Select(dim => (JsonNode)Name(dim, dim))]),
        }));
    }

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var vault = await services.Resources.GetAsync(request["scope"], cancellationToken)
            ?? throw ArmErrors.ParentResourceNotFound(request["scope"]);
        CheckNamespace(request);
        var now = services.Clock.GetUtcNow();
        var (start, end) = ParseTimespan(request.Query("timespan"), now);
        var full = string.Equals(request.Query("interval"), "FULL", StringComparison.OrdinalIgnoreCase);
        var interval = full ? end - start : ParseDuration(request.Query("interval") ?? "PT1M", "interval");
        if (interval < TimeSpan.FromMinutes(1))
        {
            throw ArmErrors.BadRequest($"Invalid interval '{request.Query("interval")}': the smallest time grain is PT1M.");
        }

        // Azure aligns the first point to the grain; a FULL interval is one point over the whole timespan.
        var first = full ? start : new DateTimeOffset(start.UtcTicks - (start.UtcTicks % interval.Ticks),
            TimeSpan.Zero);
        var points = (long)Math.Ceiling((end - first) / interval);
        if (points > MaxPoints)
        {
            throw ArmErrors.BadRequest($"The timespan and interval would return {points} points per time series; at most {MaxPoints} are allowed. Use a larger interval.");
        }

        var names = (request.Query("metricnames") is { Length: > 0 } list ? list : KeyVaultMetricDefinition.All[0].Name)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var definitions = names.Select(n => KeyVaultMetricDefinition.Find(n) ?? throw ArmErrors.BadRequest(
            $"Failed to find metric configuration for provider: Microsoft.KeyVault, resource Type: vaults, metric: {n}, Valid metrics: {string.Join(',', KeyVaultMetricDefinition.All.Select(d => d.Name))}"))
            .ToList();
        var aggregations = request.Query("aggregation") is { Length: > 0 } asked
            ? asked.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Aggregation).ToList()
            : null;
        var filter = ParseFilter(request.Query("$filter"));
        var minutes = metrics.Query((string)vault["id"]!, first, end);
        var id = (string)vault["id"]!;
        var value = new JsonArray();
        foreach (var definition in definitions)
        {
            foreach (var (dimension, _) in filter)
            {
                if (!definition.Dimensions.Contains(dimension, StringComparer.OrdinalIgnoreCase))
                {
                    throw ArmErrors.BadRequest($"Metric: {definition.Name} does not support requested dimension combination: {dimension}, supported ones are: {string.Join(',', definition.Dimensions)}");
                }
            }

            // One aggregation list serves every metric of a query: a metric answers those it supports and leaves the
            // others out.
            var shown = (aggregations ?? [definition.PrimaryAggregation]).Where(a => definition.Aggregations.Contains(a,
                StringComparer.Ordinal)).ToList();
            value.Add(Metric(id, definition, shown, filter, minutes, first, interval, points));
        }

        return ArmResponse.Ok(new JsonObject
        {
            ["cost"] = (long)Math.Ceiling((end - first).TotalMinutes) * definitions.Count,
            ["timespan"] = $"{Time(start)}/{Time(end)}",
            ["interval"] = XmlConvert.ToString(interval),
            ["value"] = value,
            ["namespace"] = KeyVaultMetricDefinition.Namespace,
            ["resourceregion"] = (string?)vault["location"] ?? services.Settings.DefaultLocation,
        });
    }

    private static JsonObject Metric(string vaultId, KeyVaultMetricDefinition definition,
        IReadOnlyList<string> aggregations,
        IReadOnlyList<(string Dimension, string Value)> filter, IReadOnlyList<MinuteAggregate> minutes,
        DateTimeOffset first, TimeSpan interval, long points)
    {
        var kept = minutes.Where(m => filter.All(f => f.Value == "*" || string.Equals(m.Dimensions[f.Dimension],
            f.Value, StringComparison.OrdinalIgnoreCase)));
        var splits = filter.Where(f => f.Value == "*").Select(f => f.Dimension).ToList();
        var series = kept.GroupBy(m => string.Join('\n', splits.Select(s => m.Dimensions[s]))).OrderBy(g => g.Key,
            StringComparer.Ordinal).ToList();
        var timeseries = new JsonArray();
        if (series.Count == 0 && splits.Count == 0)
        {
            timeseries.Add(Series([], [], definition, aggregations, first, interval, points));
        }

        foreach (var group in series)
        {
            var values = splits.Count == 0 ? [] : group.Key.Split('\n');
            timeseries.Add(Series(splits, values, definition, aggregations, first, interval, points, group));
        }

        return new JsonObject
        {
            ["id"] = $"{vaultId}/providers/Microsoft.Insights/metrics/{definition.Name}",
            ["type"] = "Microsoft.Insights/metrics",
            ["name"] = Name(definition.Name, definition.DisplayName),
            ["displayDescription"] = definition.Description,
            ["unit"] = definition.Unit,
            ["timeseries"] = timeseries,
            ["errorCode"] = "Success",
        };
    }

    private static JsonObject Series(IReadOnlyList<string> splits, IReadOnlyList<string> values,
        KeyVaultMetricDefinition definition,
        IReadOnlyList<string> aggregations, DateTimeOffset first, TimeSpan interval, long points,
        IEnumerable<MinuteAggregate>? minutes = null)
    {
        var byPoint = (minutes ?? []).GroupBy(m => (m.Minute - first).Ticks / interval.Ticks).ToDictionary(g => g.Key,
            g => g.ToList());
        var data = new JsonArray();
        for (long i = 0; i < points; i++)
        {
            var point = new JsonObject { ["timeStamp"] = Time(first + (interval * i)) };
            var inPoint = byPoint.TryGetValue(i, out var found) ? found : [];
            foreach (var aggregation in aggregations)
            {
                if (Value(definition.Name, aggregation, inPoint) is { } number)
                {
                    point[aggregation.ToLowerInvariant()] = number;
                }
            }

            data.Add(point);
        }

        return new JsonObject
        {
            ["metadatavalues"] = new JsonArray([.. splits.Select((s,
                i) => (JsonNode)new JsonObject { ["name"] = Name(s.ToLowerInvariant(), s), ["value"] = values[i] })]),
            ["data"] = data,
        };
    }

    /// <summary>
    /// One aggregate of one interval. Hits and results count requests; latency is over requests; availability is the
    /// share of requests not failed by the service (5xx) per minute, averaged over the minutes that had requests.
    /// </summary>
    private static double? Value(string metric, string aggregation, IReadOnlyList<MinuteAggregate> minutes)
    {
        long count = minutes.Sum(m => m.Count);
        switch (metric)
        {
            case "ServiceApiHit" or "ServiceApiResult":
                return count;
            case "ServiceApiLatency" when count == 0:
                return aggregation == "Count" || aggregation == "Total" ? 0 : null;
            case "ServiceApiLatency":
                return aggregation switch
                {
                    "Average" => Math.Round(minutes.Sum(m => m.LatencySumMs) / count, 3),
                    "Minimum" => minutes.Min(m => m.LatencyMinMs),
                    "Maximum" => minutes.Max(m => m.LatencyMaxMs),
                    "Count" => count,
                    _ => minutes.Sum(m => m.LatencySumMs),
                };
            default:
                var perMinute = minutes.GroupBy(m => m.Minute)
                    .Select(g => 100.0 * g.Where(m => m.Dimensions.StatusCode < 500).Sum(m => m.Count) / g.Sum(m => m.Count)).ToList();
                if (perMinute.Count == 0)
                {
                    return null;
                }

                return aggregation switch
                {
                    "Minimum" => perMinute.Min(),
                    "Maximum" => perMinute.Max(),
                    _ => Math.Round(perMinute.Average(), 3),
                };
        }
    }

    private static void CheckNamespace(ArmRequest request)
    {
        if (request.Query("metricnamespace") is { Length: > 0 } ns && !ns.Equals(KeyVaultMetricDefinition.Namespace,
            StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.BadRequest($"Metric namespace '{ns}' is not found for resource type Microsoft.KeyVault/vaults; the vault's is '{KeyVaultMetricDefinition.Namespace}'.");
        }
    }

    /// <summary>
    /// <c>start/end</c>, <c>start/duration</c>, <c>duration/end</c> or a duration back from now; Azure's default is the
    /// last hour.
    /// </summary>
    private static (DateTimeOffset Start, DateTimeOffset End) ParseTimespan(string? timespan, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timespan))
        {
            return (now.AddHours(-1), now);
        }

        var parts = timespan.Split('/');
        (DateTimeOffset, DateTimeOffset) range = parts.Length switch
        {
            1 => (now - ParseDuration(parts[0], "timespan"), now),
            2 when parts[0].StartsWith('P') => (ParseTime(parts[1]) - ParseDuration(parts[0], "timespan"),
                ParseTime(parts[1])),
            2 when parts[1].StartsWith('P') => (ParseTime(parts[0]),
                ParseTime(parts[0]) + ParseDuration(parts[1], "timespan")),
            2 => (ParseTime(parts[0]), ParseTime(parts[1])),
            _ => throw InvalidTimespan(timespan),
        };
        if (range.Item2 <= range.Item1)
        {
            throw InvalidTimespan(timespan);
        }

        return range;

        DateTimeOffset ParseTime(string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw InvalidTimespan(timespan);
    }

    private static ArmErrorException InvalidTimespan(string timespan) =>
        ArmErrors.BadRequest($"Invalid time interval input: '{timespan}'. The timespan is an ISO 8601 interval (start/end) whose end is after its start.");

    private static TimeSpan ParseDuration(string text, string parameter)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw ArmErrors.BadRequest($"Invalid {parameter} '{text}': expected an ISO 8601 duration such as PT1M or P1D.");
        }
    }

    private static string Aggregation(string text) =>
        new[] { "Average", "Count", "Minimum", "Maximum",
            "Total" }.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase))
            ?? throw ArmErrors.BadRequest($"Invalid aggregation '{text}': expected Average, Count, Minimum, Maximum or Total.");

    /// <summary><c>Dim eq 'v' and Dim2 eq '*'</c>; other operators are refused rather than ignored.</summary>
    private static IReadOnlyList<(string Dimension, string Value)> ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var clauses = new List<(string, string)>();
        foreach (var clause in Regex.Split(filter, @"\s+and\s+",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout.Value))
        {
            var match = FilterClause.Match(clause);
            if (!match.Success)
            {
                throw ArmErrors.BadRequest($"Invalid $filter '{filter}': the emulator reads clauses of the form Dimension eq 'value' joined by 'and'.");
            }

            clauses.Add((match.Groups["dimension"].Value, match.Groups["value"].Value));
        }

        return clauses;
    }

    private static JsonObject Name(string value, string localized) => new() { ["value"] = value,
        ["localizedValue"] = localized };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ",
        CultureInfo.InvariantCulture);
}
