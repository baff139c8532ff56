using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeKv.Tests.Support;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// <c>showHistory=true</c> on the Azure Storage provider (Azurite), which hands the history over without type names:
/// the local host's client reads each event by its <c>EventType</c>, as the SDK's client gives it in Azure.
/// </summary>
[TestClass]
public sealed class AzureStorageHistoryTests
{
    private static AzuriteProcess? s_azurite;

    [ClassInitialize]
    public static async Task StartAzuriteAsync(TestContext context) => s_azurite = await AzuriteProcess.StartAsync();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    [TestMethod]
    public async Task The_history_of_an_instance_on_the_Azure_Storage_provider_is_shown_with_its_outputs()
    {
        if (s_azurite is null) Assert.Inconclusive("Azurite is not installed (.ci/install puts it under .tools/azurite).");
        await using HostFixture host = await HostFixture.StartAsync(extraArgs:
            ["--EdgeKv:TaskHub:StorageProvider", "AzureStorage", "--extensions:durableTask:hubName",
                "hist" + Guid.NewGuid().ToString("N")[..10],
             "--AzureWebJobsStorage", s_azurite.ConnectionString]);
        using HttpResponseMessage start = await host.Http.PostAsync("/api/durabletask/orchestrators/HelloSequence",
            new StringContent("""["Oslo","Lima"]""", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.Accepted, start.StatusCode, await start.Content.ReadAsStringAsync());
        string status = start.Headers.Location!.ToString();
        using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            while ((await host.Http.GetAsync(status,
                wait.Token)).StatusCode != HttpStatusCode.OK) await Task.Delay(TimeSpan.FromMilliseconds(200),
                    wait.Token);
        }

        JsonElement shown = await host.Http.GetFromJsonAsync<JsonElement>(status + "?showHistory=true&showHistoryOutput=true");

        string[] types = [.. shown.GetProperty("historyEvents").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()!)];
        CollectionAssert.Contains(types, "ExecutionStarted");
        CollectionAssert.Contains(types, "ExecutionCompleted");
        CollectionAssert.AreEqual(new[] { "\"Hello Oslo!\"", "\"Hello Lima!\"" },
            shown.GetProperty("historyEvents").EnumerateArray().Where(e => e.GetProperty("eventType").GetString() == "TaskCompleted").Select(e => e.GetProperty("result").GetString()).ToArray());
    }
}
