using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeKv.Local.Hosting;

/// <summary>
/// Reads configuration the way the Functions host does: host.json for runtime settings, and the
/// <c>Values</c> of local.settings.json as app settings ("__" meaning ":" in keys). A missing
/// local.settings.json means the local defaults; environment variables and arguments override both.
/// </summary>
internal static class FunctionsConfiguration
{
    public static void AddFunctionsConfiguration(this ConfigurationManager configuration, string contentRoot, string[] args)
    {
        string hostJson = Path.Combine(contentRoot, "host.json");
        if (!File.Exists(hostJson)) hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        configuration.AddJsonFile(hostJson, optional: true, reloadOnChange: false);

        string localSettings = Path.Combine(contentRoot, "local.settings.json");
        if (File.Exists(localSettings)) configuration.AddInMemoryCollection(ReadValues(localSettings));

        // What the process was started with wins over the files, as in the Functions host.
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }

    internal static IEnumerable<KeyValuePair<string, string?>> ReadValues(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"local.settings.json is not valid JSON: {ex.Message}", ex);
        }

        if (root?["Values"] is not JsonObject values) return [];
        return [.. values.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value?.ToString()))];
    }
}
