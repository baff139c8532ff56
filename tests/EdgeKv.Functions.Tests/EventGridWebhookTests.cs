using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Messaging.EventGrid.SystemEvents;
using EdgeKv.Functions.Triggers.EventGrid;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class EventGridWebhookTests
{
    private const string VaultId = "/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-1";
    private static HostFixture s_host = null!;
    private static string s_key = null!;
    private static readonly ProbeFunction s_probe = new();

    [ClassInitialize]
    public static async Task StartHost(TestContext _)
    {
        s_host = await HostFixture.StartAsync(services: s => s.AddSingleton<IEventGridFunction>(s_probe));
        s_key = await File.ReadAllTextAsync(Path.Combine(s_host.DataPath, "keys", "eventgrid_extension.key"));
    }

    [ClassCleanup]
    public static async Task StopHost() => await s_host.DisposeAsync();

    [TestMethod]
    public async Task Subscription_validation_answers_the_code_in_the_event_grid_schema()
    {
        string body = $$$"""[{"id":"v1","topic":"{{{VaultId}}}","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-03-01T10:00:00Z","dataVersion":"1","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://example.invalid"}}]""";

        using HttpResponseMessage response = await PostAsync(body, "SubscriptionValidation");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validationResponse").GetString());
    }

    [TestMethod]
    public async Task Subscription_validation_answers_the_code_in_the_cloudevents_schema()
    {
        string body = """{"specversion":"1.0","id":"v2","source":"/subscriptions/s","type":"Microsoft.EventGrid.SubscriptionValidationEvent","time":"2026-03-01T10:00:00Z","data":{"validationCode":"code-2"}}""";

        using HttpResponseMessage response = await PostAsync(body, "SubscriptionValidation",
            "application/cloudevents+json");

        Assert.AreEqual("code-2",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("validationResponse").GetString());
    }

    [TestMethod]
    public async Task CloudEvents_abuse_protection_handshake_allows_the_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options,
            $"{EventGridWebhookFunction.Route}?functionName=Probe&code={s_key}");
        request.Headers.Add("WebHook-Request-Origin", "eventemitter.example.com");

        using HttpResponseMessage response = await s_host.Http.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("eventemitter.example.com", response.Headers.GetValues("WebHook-Allowed-Origin").Single());
    }

    [TestMethod]
    public async Task A_batch_of_resource_deletions_reaches_the_function_with_typed_data_in_both_schemas()
    {
        string gridBatch = $$$"""[{"id":"e1","topic":"/subscriptions/s/resourceGroups/rg","subject":"{{{VaultId}}}","eventType":"Microsoft.Resources.ResourceDeleteSuccess","eventTime":"2026-03-01T10:00:00Z","dataVersion":"2","data":{"resourceUri":"{{{VaultId}}}","operationName":"Microsoft.KeyVault/vaults/delete","status":"Succeeded","resourceProvider":"Microsoft.KeyVault"}}]""";
        string cloudBatch = $$$"""[{"specversion":"1.0","id":"e2","source":"/subscriptions/s/resourceGroups/rg","subject":"{{{VaultId}}}","type":"Microsoft.Resources.ResourceDeleteSuccess","time":"2026-03-01T10:00:01Z","data":{"resourceUri":"{{{VaultId}}}","operationName":"Microsoft.KeyVault/vaults/delete","status":"Succeeded"}}]""";

        Assert.AreEqual(HttpStatusCode.Accepted, (await PostAsync(gridBatch, "Notification")).StatusCode);
        Assert.AreEqual(HttpStatusCode.Accepted,
            (await PostAsync(cloudBatch, "Notification", "application/cloudevents-batch+json",
                headerKey: true)).StatusCode);

        ReceivedEvent grid = s_probe.Received["e1"];
        ReceivedEvent cloud = s_probe.Received["e2"];
        Assert.AreEqual(EventSchema.EventGrid, grid.Schema);
        Assert.AreEqual(EventSchema.CloudEvents, cloud.Schema);
        Assert.AreEqual(VaultId, ((ResourceDeleteSuccessEventData)grid.SystemData!).ResourceUri);
        Assert.AreEqual(VaultId, ((ResourceDeleteSuccessEventData)cloud.SystemData!).ResourceUri);
    }

    [TestMethod]
    public async Task A_failing_function_answers_500_so_event_grid_delivers_again()
    {
        string body = """[{"id":"boom","topic":"t","subject":"s","eventType":"Custom.Fail","eventTime":"2026-03-01T10:00:00Z","dataVersion":"1","data":{}}]""";

        using HttpResponseMessage response = await PostAsync(body, "Notification");

        Assert.AreEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [TestMethod]
    [DataRow(null, "Notification", "Probe", HttpStatusCode.Unauthorized, "Unauthorized")]
    [DataRow("wrong-key", "Notification", "Probe", HttpStatusCode.Unauthorized, "Unauthorized")]
    [DataRow("KEY", null, "Probe", HttpStatusCode.BadRequest, "InvalidEventType")]
    [DataRow("KEY", "Sometimes", "Probe", HttpStatusCode.BadRequest, "InvalidEventType")]
    [DataRow("KEY", "Notification", "NoSuchFunction", HttpStatusCode.NotFound, "FunctionNotFound")]
    [DataRow("KEY", "Notification", "", HttpStatusCode.BadRequest, "MissingFunctionName")]
    public async Task Calls_without_the_key_or_with_bad_headers_are_refused(string? key, string? eventType,
        string function, HttpStatusCode status, string code)
    {
        string body = """[{"id":"x","topic":"t","subject":"s","eventType":"Custom.Ok","eventTime":"2026-03-01T10:00:00Z","dataVersion":"1","data":{}}]""";
        string query = key is null ? $"?functionName={function}" : $"?functionName={function}&code={(key == "KEY" ? s_key : key)}";
        using var request = new HttpRequestMessage(HttpMethod.Post,
            EventGridWebhookFunction.Route + query) { Content = new StringContent(body, Encoding.UTF8,
                "application/json") };
        if (eventType is not null) request.Headers.Add("aeg-event-type", eventType);

        using HttpResponseMessage response = await s_host.Http.SendAsync(request);

        Assert.AreEqual(status, response.StatusCode);
        Assert.AreEqual(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        if (status == HttpStatusCode.Unauthorized) Assert.IsTrue(response.Headers.WwwAuthenticate.Count > 0);
    }

    [TestMethod]
    [DataRow("{not json")]
    [DataRow("42")]
    [DataRow("""[{"id":"x"}]""")]
    [DataRow("""{"specversion":"1.0"}""")]
    public async Task Malformed_batches_are_a_400(string body)
    {
        using HttpResponseMessage response = await PostAsync(body, "Notification");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task The_stored_key_file_holds_only_a_hash_of_the_key()
    {
        string stored = await File.ReadAllTextAsync(Path.Combine(s_host.DataPath, "keys", "system-keys.json"));

        Assert.IsFalse(stored.Contains(s_key, StringComparison.Ordinal));
        StringAssert.Contains(stored, "eventgrid_extension");
    }

    private static async Task<HttpResponseMessage> PostAsync(string body, string eventType,
        string contentType = "application/json", bool headerKey = false)
    {
        string query = headerKey ? "?functionName=Probe" : $"?functionName=Probe&code={s_key}";
        using var request = new HttpRequestMessage(HttpMethod.Post,
            EventGridWebhookFunction.Route + query) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("aeg-event-type", eventType);
        if (headerKey) request.Headers.Add("x-functions-key", s_key);
        return await s_host.Http.SendAsync(request);
    }

    private sealed class ProbeFunction : IEventGridFunction
    {
        public ConcurrentDictionary<string, ReceivedEvent> Received { get; } = new();

        public string Name => "Probe";

        public Task HandleAsync(IReadOnlyList<ReceivedEvent> events, DurableTaskClient client,
            CancellationToken cancellationToken)
        {
            if (events.Any(e => e.Type == "Custom.Fail")) throw new InvalidOperationException("the handler failed");
            foreach (ReceivedEvent e in events) Received[e.Id] = e;
            return Task.CompletedTask;
        }
    }
}
