using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// Key Vault's list paging: <c>maxresults</c> 1..25 (default 25), an opaque <c>$skiptoken</c>, an absolute
/// <c>nextLink</c>.
/// </summary>
internal static class VaultObjectPaging
{
    public const int MaxResults = 25;

    public static JsonObject Page(KeyVaultRequest request, string relativePath, IReadOnlyList<JsonNode> items)
    {
        var max = MaxResults;
        if (request.Query("maxresults") is { Length: > 0 } text && (!int.TryParse(text, NumberStyles.None,
            CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxResults))
        {
            throw KeyVaultErrors.BadParameter($"Invalid value for maxresults: {text}. It must be an integer between 1 and {MaxResults}.");
        }

        var skip = 0;
        if (request.Query("$skiptoken") is { Length: > 0 } token && (!int.TryParse(token, NumberStyles.None,
            CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            throw KeyVaultErrors.BadParameter("The $skiptoken is invalid.");
        }

        var page = items.Skip(skip).Take(max).Select(i => i.DeepClone()).ToArray();
        string? nextLink = skip + max < items.Count
            ? $"{request.VaultEndpoint.AbsoluteUri}{relativePath}?api-version={request.ApiVersion}&$skiptoken={skip + max}&maxresults={max}"
            : null;
        return new JsonObject { ["value"] = new JsonArray(page), ["nextLink"] = nextLink };
    }
}
