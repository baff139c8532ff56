using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>The sweep, alerts, Event Grid and healing calls, as an operator (or Event Grid) makes them.</summary>
internal static class HealthFlows
{
    public const string EventGridKey = "e2e-eventgrid-key-0123456789abcdef";

    public static string[] HostArgs(NotificationSink sink) =>
        ["--EdgeKv:Health:NotificationWebhookUrl", sink.Url.ToString(), "--EdgeKv:Webhooks:EventGridKey", EventGridKey];

    /// <summary>Starts a sweep and waits for it; returns its output (the summary).</summary>
    public static async Task<JsonElement> SweepAsync(this EdgeKvApi api)
    {
        using HttpResponseMessage started = await api.Http.PostAsync("/api/health/sweep", null);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string status = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        JsonElement final = await api.PollAsync(status, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        return final.GetProperty("output");
    }

    public static async Task<IReadOnlyList<JsonElement>> AlertsAsync(this EdgeKvApi api, string query = "")
    {
        using HttpResponseMessage response = await api.Http.GetAsync("/api/alerts" + query);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray()];
    }

    /// <summary>
    /// Creates the resource, runs its activation to the end and returns the resource as EdgeKv records it.
    /// </summary>
    public static async Task<JsonElement> ActivatedResourceAsync(this EdgeKvApi api, string name)
    {
        await api.CreateResourceAsync(name);
        JsonElement activated = await api.ActivateAsync(name);
        Assert.AreEqual("Completed", activated.GetProperty("runtimeStatus").GetString(), activated.ToString());
        return await api.ResourceAsync(name);
    }

    public static async Task<JsonElement> ResourceAsync(this EdgeKvApi api, string name) =>
        await api.Http.GetFromJsonAsync<JsonElement>($"/api/resources/{name}");

    /// <summary>
    /// Posts a ResourceDeleteSuccess batch for <paramref name="vaultId"/> to the VaultEvents function, as Event Grid
    /// delivers it.
    /// </summary>
    public static Task<HttpResponseMessage> PostVaultDeletedAsync(this EdgeKvApi api, string vaultId,
        string? key = EventGridKey)
    {
        string batch = $$$"""[{"id":"{{{Guid.NewGuid()}}}","topic":"/subscriptions/s/resourceGroups/rg","subject":"{{{vaultId}}}","eventType":"Microsoft.Resources.ResourceDeleteSuccess","eventTime":"2026-03-01T10:00:00Z","dataVersion":"2","data":{"resourceUri":"{{{vaultId}}}","operationName":"Microsoft.KeyVault/vaults/delete","status":"Succeeded","resourceProvider":"Microsoft.KeyVault"}}]""";
        return api.PostEventsAsync(batch, key);
    }

    public static Task<HttpResponseMessage> PostEventsAsync(this EdgeKvApi api, string body, string? key = EventGridKey,
        string eventType = "Notification")
    {
        string query = key is null ? "?functionName=VaultEvents" : $"?functionName=VaultEvents&code={key}";
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/api/eventgrid" + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("aeg-event-type", eventType);
        return api.Http.SendAsync(request);
    }

    /// <summary>POSTs a healing request and waits for its orchestration; returns the final status.</summary>
    public static async Task<JsonElement> HealAsync(this EdgeKvApi api, string path, object? body = null,
        TimeSpan? timeout = null)
    {
        using HttpResponseMessage started = await api.Http.PostAsJsonAsync(path, body ?? new { });
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string status = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        return await api.PollAsync(status, timeout ?? TimeSpan.FromMinutes(5));
    }

    public static IReadOnlyList<JsonElement> Active(this IReadOnlyList<JsonElement> alerts, string kind) =>
        [.. alerts.Where(a => a.GetProperty("kind").GetString() == kind && a.GetProperty("state").GetString() == "Active")];
}
