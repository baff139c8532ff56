using System.Text.Json.Nodes;
using global::Azure.Core;
using global::Azure.ResourceManager;

namespace EdgeKv.Azure.Monitoring;

/// <summary>Diagnostic settings on a resource (Microsoft.Insights/diagnosticSettings, pinned api-version).</summary>
public sealed class DiagnosticSettingsClient
{
    private readonly ArmRestClient rest;

    public DiagnosticSettingsClient(ArmClient client, string subscriptionId)
    {
        ArgumentNullException.ThrowIfNull(client);
        rest = new ArmRestClient(client, subscriptionId);
    }

    /// <summary>
    /// Sends the resource's logs of the given categories (such as <c>AuditEvent</c>) or groups (<c>audit</c>,
    /// <c>allLogs</c>) to a storage account.
    /// </summary>
    public async Task<DiagnosticSetting> CreateOrUpdateAsync(string resourceId, string name, string storageAccountId,
        IReadOnlyList<string>? categories = null, IReadOnlyList<string>? categoryGroups = null,
        CancellationToken cancellationToken = default)
    {
        var logs = new JsonArray();
        foreach (var category in categories ?? [])
        {
            logs.Add(new JsonObject { ["category"] = category, ["enabled"] = true });
        }

        foreach (var group in categoryGroups ?? [])
        {
            logs.Add(new JsonObject { ["categoryGroup"] = group, ["enabled"] = true });
        }

        var body = new JsonObject { ["properties"] = new JsonObject { ["storageAccountId"] = storageAccountId,
            ["logs"] = logs } };
        return Map((await rest.SendAsync(RequestMethod.Put, Path(resourceId, name), AzureApiVersions.DiagnosticSettings,
            body, cancellationToken))!);
    }

    public async Task<DiagnosticSetting> GetAsync(string resourceId, string name,
        CancellationToken cancellationToken = default) =>
        Map((await rest.SendAsync(RequestMethod.Get, Path(resourceId, name), AzureApiVersions.DiagnosticSettings, null,
            cancellationToken))!);

    public async Task<IReadOnlyList<DiagnosticSetting>> ListAsync(string resourceId,
        CancellationToken cancellationToken = default) =>
        (await rest.ListAsync($"{resourceId.TrimEnd('/')}/providers/Microsoft.Insights/diagnosticSettings", AzureApiVersions.DiagnosticSettings, cancellationToken))
            .Select(Map).ToList();

    public async Task DeleteAsync(string resourceId, string name, CancellationToken cancellationToken = default) =>
        await rest.SendAsync(RequestMethod.Delete, Path(resourceId, name), AzureApiVersions.DiagnosticSettings, null,
            cancellationToken);

    private static string Path(string resourceId, string name) => $"{resourceId.TrimEnd('/')}/providers/Microsoft.Insights/diagnosticSettings/{name}";

    private static DiagnosticSetting Map(JsonObject node)
    {
        var logs = node["properties"]?["logs"] as JsonArray ?? [];
        return new DiagnosticSetting(
            JsonRead.String(node, "id"), JsonRead.String(node, "name"),
            (string?)node["properties"]?["storageAccountId"],
            logs.Select(l => (string?)l?["category"]).OfType<string>().ToList(),
            logs.Select(l => (string?)l?["categoryGroup"]).OfType<string>().ToList());
    }
}
