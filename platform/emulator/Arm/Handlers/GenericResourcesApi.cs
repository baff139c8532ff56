using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// <c>GET /subscriptions/{s}/resources</c> and <c>GET /subscriptions/{s}/resourceGroups/{rg}/resources</c>: the tracked
/// resources (those with a location) in Azure's GenericResourceExpanded shape, filtered by <c>$filter=resourceType eq
/// '...'</c>, paged by <c>$top</c> with an absolute <c>nextLink</c> carrying <c>$skiptoken</c>. The Key Vault
/// management SDKs list vaults in a subscription this way.
/// </summary>
internal sealed partial class GenericResourcesApi(ArmServices services) : IArmRouteSource
{
    private const string Type = "Microsoft.Resources/resources";
    private const int DefaultPageSize = 1000;

    /// <summary>
    /// The tracked types the emulator keeps (extension resources such as locks are not listed by Azure either).
    /// </summary>
    private static readonly string[] TrackedTypes = ["Microsoft.KeyVault/vaults", "Microsoft.Storage/storageAccounts",
        "Microsoft.DataBoxEdge/dataBoxEdgeDevices",
        "Microsoft.ManagedIdentity/userAssignedIdentities"];

    public IEnumerable<ArmRoute> Routes =>
    [
        ArmRoute.Create("GET", ArmRoute.Subscription + "/resources", Type,
            "Microsoft.Resources/subscriptions/resources/read", LockCheck.None, ListAsync),
        ArmRoute.Create("GET", ArmRoute.ResourceGroup + "/resources", Type,
            "Microsoft.Resources/subscriptions/resourceGroups/resources/read", LockCheck.None, ListAsync),
    ];

    [GeneratedRegex(@"^\s*resourceType\s+eq\s+'(?<type>[^']+)'\s*$",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 10_000)] // PatternTimeout.Value, as a constant
    private static partial Regex ResourceTypeFilter();

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var types = TrackedTypes.AsEnumerable();
        if (request.Query("$filter") is { Length: > 0 } filter)
        {
            var match = ResourceTypeFilter().Match(filter);
            if (!match.Success)
            {
                throw new ArmErrorException(400, "InvalidFilterInQueryString",
                    $"Invalid $filter '{filter}' specified in the query string. The emulator supports resourceType eq '<type>'.");
            }

            types = types.Where(t => t.Equals(match.Groups["type"].Value, StringComparison.OrdinalIgnoreCase));
        }

        var top = DefaultPageSize;
        if (request.Query("$top") is { Length: > 0 } topText && (!int.TryParse(topText, NumberStyles.None,
            CultureInfo.InvariantCulture, out top) || top < 1))
        {
            throw new ArmErrorException(400, "InvalidTopInQueryString",
                $"The value '{topText}' of the $top query parameter is not a positive integer.");
        }

        var skip = 0;
        if (request.Query("$skiptoken") is { Length: > 0 } token && (!int.TryParse(token, NumberStyles.None,
            CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            throw new ArmErrorException(400, "InvalidSkipToken", $"The skip token '{token}' is not valid.");
        }

        var scope = request["rg"].Length > 0 ? $"/subscriptions/{request["sub"]}/resourceGroups/{request["rg"]}" : $"/subscriptions/{request["sub"]}";
        var all = new List<JsonObject>();
        foreach (var type in types)
        {
            all.AddRange(await services.Resources.ListAsync(type, scope, cancellationToken));
        }

        var ordered = all.OrderBy(r => (string)r["id"]!, StringComparer.OrdinalIgnoreCase).ToList();
        var page = ordered.Skip(skip).Take(top).Select(ToWire).ToArray();
        var body = new JsonObject { ["value"] = new JsonArray(page) };
        if (skip + top < ordered.Count)
        {
            var query = request.Context.Request.Query
                .Where(q => !q.Key.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase))
                .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"%24skiptoken={skip + top}");
            body["nextLink"] = $"{services.Settings.Endpoint.AbsoluteUri.TrimEnd('/')}{request.Path}?{string.Join('&', query)}";
        }

        return ArmResponse.Ok(body);
    }

    /// <summary>
    /// GenericResourceExpanded: identity, location, tags, sku, kind; never the resource's properties.
    /// </summary>
    private static JsonNode ToWire(JsonObject resource)
    {
        var wire = new JsonObject
        {
            ["id"] = (string?)resource["id"],
            ["name"] = (string?)resource["name"],
            ["type"] = (string?)resource["type"],
            ["location"] = (string?)resource["location"],
            ["tags"] = resource["tags"]?.DeepClone() ?? new JsonObject(),
        };
        foreach (var optional in new[] { "sku", "kind", "identity" })
        {
            if (resource[optional] is { } value)
            {
                wire[optional] = value.DeepClone();
            }
        }

        return wire;
    }
}
