using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeKv.Durable.Hosting;

namespace EdgeKv.Local.Hosting;

/// <summary>
/// What the real Functions host and its Durable extension refuse in host.json, refused here at start-up with the same
/// meaning, so that a configuration the local host runs is one Azure starts: the schema version (azure-functions-host,
/// src/WebJobs.Script/Config/HostJsonFileConfigurationSource.cs) and the storage provider type
/// (azure-functions-durable-extension, src/WebJobs.Extensions.DurableTask/DurableTaskExtension.cs). Keys EdgeKv once
/// kept in host.json that the extension does not define (Options/DurableTaskOptions.cs) are refused with the app
/// setting that replaced them: the real host would ignore them silently, and so would nothing take effect.
/// </summary>
internal static class HostConfigurationRules
{
    /// <summary>
    /// The storage providers this app's Functions host can load: the Durable extension registers AzureStorage itself;
    /// mssql, Netherite and azureManaged come with packages the app's extensions do not include.
    /// </summary>
    private static readonly string[] KnownStorageProviders = ["AzureStorage"];

    private static readonly (string Key, string Replacement)[] MovedKeys =
    [
        ($"{DurableTaskHubOptions.SectionName}:workItemLease",
            $"{DurableTaskHubOptions.LocalSectionName}:WorkItemLease"),
        ($"{DurableTaskHubOptions.SectionName}:maxDequeueCount",
            $"{DurableTaskHubOptions.LocalSectionName}:MaxDequeueCount"),
        ($"{DurableTaskHubOptions.SectionName}:storageProvider:synchronous",
            $"{DurableTaskHubOptions.LocalSectionName}:Synchronous"),
    ];

    public static void Validate(IConfiguration configuration, string? hostJsonPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (hostJsonPath is not null) ValidateFile(hostJsonPath);

        string? type = configuration[$"{DurableTaskHubOptions.SectionName}:storageProvider:type"];
        if (type is not null && !KnownStorageProviders.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Storage provider type ({type}) was not found. Available storage providers: {string.Join(", ", KnownStorageProviders)}. "
                + $"(host.json extensions.durableTask.storageProvider.type is what Azure runs; the local host's own provider is the app setting {DurableTaskHubOptions.LocalSectionName}:StorageProvider.)");
        }

        foreach ((string key, string replacement) in MovedKeys)
        {
            if (configuration[key] is not null)
            {
                throw new InvalidOperationException($"'{key}' is not a setting of the Durable extension (the Functions host ignores it); the local host reads the app setting {replacement}.");
            }
        }
    }

    private static void ValidateFile(string path)
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
            throw new FormatException($"Unable to parse host configuration file '{path}'.", ex);
        }

        string? version = (root as JsonObject)?["version"] is JsonValue v && v.TryGetValue(out string? text) ? text : null;
        if (string.IsNullOrEmpty(version))
        {
            throw new InvalidOperationException($"The host.json file ({path}) is missing the required 'version' property.");
        }

        if (version != "2.0")
        {
            throw new InvalidOperationException($"'{version}' is an invalid value for host.json 'version' property ({path}); it must be '2.0'.");
        }

        if (root!["timers"] is not null)
        {
            throw new InvalidOperationException(
                $"host.json ({path}) has a top-level 'timers' section, which the Functions host does not define; the local host reads timer options from the app settings timers:{{Name}}:*.");
        }
    }
}
