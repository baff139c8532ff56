using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeKv.Local.Hosting;

/// <summary>
/// Reads configuration the way the Functions host does: host.json for runtime settings, and the <c>Values</c> of
/// local.settings.json as app settings ("__" meaning ":" in keys). Under them, the composition's own defaults: the
/// <c>Values</c> of local.settings.sample.json, shipped beside the host, so a run without local.settings.json uses the
/// documented defaults and no value is built into code. Environment variables and arguments override all of them.
/// </summary>
internal static class FunctionsConfiguration
{
    /// <summary>The local defaults, copied beside the host's binaries by the build.</summary>
    public static string DefaultSettingsPath => Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json");

    /// <returns>The host.json read (in the content root, or else beside the binaries), or null when there is
    /// none.</returns>
    public static string? AddFunctionsConfiguration(this ConfigurationManager configuration, string contentRoot,
        string[] args, string? defaultSettings)
    {
        if (defaultSettings is not null && File.Exists(defaultSettings)) configuration.AddInMemoryCollection(ReadValues(defaultSettings));

        string? hostJson = Path.Combine(contentRoot, "host.json");
        if (!File.Exists(hostJson)) hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        if (!File.Exists(hostJson)) hostJson = null;
        if (hostJson is not null) configuration.AddJsonFile(hostJson, optional: false, reloadOnChange: false);

        string localSettings = Path.Combine(contentRoot, "local.settings.json");
        if (File.Exists(localSettings)) configuration.AddInMemoryCollection(ReadValues(localSettings));

        // What the process was started with wins over the files, as in the Functions host, which also reads host.json
        // values from app settings named AzureFunctionsJobHost__path__to__key (an operator's override of host.json).
        configuration.AddEnvironmentVariables("AzureFunctionsJobHost__");
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        return hostJson;
    }

    internal static IEnumerable<KeyValuePair<string, string?>> ReadValues(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path),
                documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)} is not valid JSON: {ex.Message}", ex);
        }

        if (root?["Values"] is not JsonObject values) return [];
        return [.. values.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":",
            StringComparison.Ordinal), kv.Value?.ToString()))];
    }
}
