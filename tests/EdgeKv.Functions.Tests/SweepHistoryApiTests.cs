using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Sweeps;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// <c>GET /api/health/sweeps</c> (each sweep the starter runs, recorded by the sweep itself, paged, retention-bounded,
/// fleet-wide readers only) and <c>GET /api/alerts/timeline</c> (alerts raised and resolved per interval).
/// </summary>
[TestClass]
public sealed class SweepHistoryApiTests
{
    private const string ReaderObjectId = "0b1d0c1a-0000-4000-8000-000000000002";

    [TestMethod]
    public async Task Each_sweep_is_recorded_once_with_its_counts_and_the_history_pages_oldest_first()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        var outputs = new List<JsonElement>();
        for (int i = 0; i < 3; i++) outputs.Add(await SweepAsync(host));

        JsonElement first = await host.Http.GetFromJsonAsync<JsonElement>("/api/health/sweeps?top=2");
        Assert.AreEqual(2, first.GetProperty("value").GetArrayLength());
        string next = new Uri(first.GetProperty("nextLink").GetString()!).PathAndQuery;
        JsonElement second = await host.Http.GetFromJsonAsync<JsonElement>(next);
        Assert.AreEqual(JsonValueKind.Null, second.GetProperty("nextLink").ValueKind);
        JsonElement[] sweeps = [.. first.GetProperty("value").EnumerateArray(),
            .. second.GetProperty("value").EnumerateArray()];

        Assert.HasCount(3, sweeps);
        Assert.HasCount(3, sweeps.Select(s => s.GetProperty("id").GetString()).Distinct(),
            "one record per sweep, though all run as health-sweep");
        for (int i = 0; i < 3; i++)
        {
            JsonElement s = sweeps[i];
            Assert.AreEqual("health-sweep", s.GetProperty("instanceId").GetString());
            Assert.AreEqual("http", s.GetProperty("trigger").GetString());
            foreach ((string record, string summary) in new[] { ("pages", "pages"), ("checked", "checked"),
                ("skipped", "skipped"), ("faulty", "activeFaults"), ("raised", "raised"), ("resolved", "resolved") })
            {
                Assert.AreEqual(outputs[i].GetProperty(summary).GetInt32(), s.GetProperty(record).GetInt32(),
                    $"{record} of sweep {i}");
            }

            Assert.AreEqual(0, s.GetProperty("uncheckedPages").GetInt32());
            DateTimeOffset started = s.GetProperty("startedAt").GetDateTimeOffset(),
                completed = s.GetProperty("completedAt").GetDateTimeOffset();
            Assert.IsLessThanOrEqualTo(completed, started);
            Assert.AreEqual((completed - started).TotalSeconds, s.GetProperty("durationSeconds").GetDouble(), 0.001);
            if (i > 0) Assert.IsLessThan(started, sweeps[i - 1].GetProperty("startedAt").GetDateTimeOffset(),
                "oldest first");
        }

        string since = Uri.EscapeDataString(sweeps[1].GetProperty("startedAt").GetString()!);
        JsonElement recent = await host.Http.GetFromJsonAsync<JsonElement>($"/api/health/sweeps?since={since}");
        CollectionAssert.AreEqual(sweeps[1..].Select(s => s.GetProperty("id").GetString()).ToArray(),
            recent.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToArray());
    }

    [TestMethod]
    [DataRow("/api/health/sweeps?top=0")]
    [DataRow("/api/health/sweeps?top=1001")]
    [DataRow("/api/health/sweeps?since=yesterday")]
    [DataRow("/api/health/sweeps?continuationToken=abc")]
    [DataRow("/api/alerts/timeline?interval=PT1S")]
    [DataRow("/api/alerts/timeline?interval=P2D")]
    [DataRow("/api/alerts/timeline?interval=hourly")]
    [DataRow("/api/alerts/timeline?interval=P99999999999999D")]
    [DataRow("/api/alerts/timeline?interval=PT1M&since=2000-01-01T00:00:00Z")]
    [DataRow("/api/alerts/timeline?since=soon")]
    public async Task Bad_paging_and_interval_input_is_a_400_in_Azures_shape(string path)
    {
        await using HostFixture host = await HostFixture.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync(path);
        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode, path);
        Assert.IsTrue((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").TryGetProperty("code", out _));
    }

    [TestMethod]
    public async Task The_history_keeps_the_configured_number_of_sweeps_and_drops_those_past_the_retention_days()
    {
        await using HostFixture host = await HostFixture.StartAsync(extraArgs: ["--EdgeKv:Health:SweepHistoryMaxEntries", "2", "--EdgeKv:Health:SweepHistoryDays", "30"]);
        SweepHistoryStore store = host.Services.GetRequiredService<SweepHistoryStore>();
        DateTimeOffset longAgo = DateTimeOffset.UtcNow - TimeSpan.FromDays(31);
        await store.RecordAsync(new SweepRecord("from-last-month", "health-sweep", "timer", longAgo,
            longAgo + TimeSpan.FromSeconds(2), 1, 1, 0, 0, 0, 0, 0));

        await SweepAsync(host);
        JsonElement afterOne = await host.Http.GetFromJsonAsync<JsonElement>("/api/health/sweeps");
        CollectionAssert.AreEqual(new[] { "http" },
            afterOne.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("trigger").GetString()).ToArray(),
            "the sweep from 31 days ago is pruned when the next one is recorded");

        string[] ids = new string[3];
        for (int i = 0; i < 3; i++)
        {
            await SweepAsync(host);
            JsonElement listed = await host.Http.GetFromJsonAsync<JsonElement>("/api/health/sweeps");
            ids[i] = listed.GetProperty("value").EnumerateArray().Last().GetProperty("id").GetString()!;
        }

        JsonElement kept = await host.Http.GetFromJsonAsync<JsonElement>("/api/health/sweeps");
        CollectionAssert.AreEqual(ids[1..],
            kept.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToArray(),
            "the latest two");
    }

    [TestMethod]
    public async Task A_reader_scoped_to_one_resource_is_refused_the_fleet_wide_history_and_counts_only_its_alerts_in_the_timeline()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        AlertStore alerts = host.Services.GetRequiredService<AlertStore>();
        await alerts.RaiseAsync(new AlertObservation("tl-mine", AlertKind.VaultLockMissing, "test"));
        await alerts.RaiseAsync(new AlertObservation("tl-other", AlertKind.VaultLockMissing, "test"));
        await alerts.RaiseAsync(new AlertObservation("tl-other", AlertKind.DiagnosticSettingMissing, "test"));
        await alerts.ResolveAsync("tl-other", [AlertKind.VaultLockMissing]);
        using HttpResponseMessage granted = await host.Http.PutAsJsonAsync("/api/roleAssignments/timeline-reader",
            new { principalId = ReaderObjectId, role = "Auditor", scope = "/resources/tl-mine" });
        Assert.AreEqual(HttpStatusCode.OK, granted.StatusCode, await granted.Content.ReadAsStringAsync());
        using var reader = new HttpClient { BaseAddress = host.Http.BaseAddress };
        reader.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            await host.IssueTokenAsync("reader"));

        JsonElement fleet = await host.Http.GetFromJsonAsync<JsonElement>("/api/alerts/timeline?interval=PT1M");
        JsonElement mine = await reader.GetFromJsonAsync<JsonElement>("/api/alerts/timeline?interval=PT1M");
        using HttpResponseMessage history = await reader.GetAsync("/api/health/sweeps");

        Assert.AreEqual(3, fleet.GetProperty("raised").GetInt32());
        Assert.AreEqual(1, fleet.GetProperty("resolved").GetInt32());
        Assert.AreEqual(3, fleet.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("raised").GetInt32()),
            "the intervals add up to the totals");
        Assert.AreEqual(1, fleet.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("resolved").GetInt32()));
        Assert.AreEqual("PT1M", fleet.GetProperty("interval").GetString());
        Assert.AreEqual(49, fleet.GetProperty("buckets").GetArrayLength(),
            "48 minutes back by default and the current one, empty ones too");
        Assert.AreEqual(1, mine.GetProperty("raised").GetInt32(),
            "the scoped reader counts its own resource's alert only");
        Assert.AreEqual(0, mine.GetProperty("resolved").GetInt32());
        Assert.AreEqual(HttpStatusCode.Forbidden, history.StatusCode, "the sweep counts are the whole fleet's");
    }

    private static async Task<JsonElement> SweepAsync(HostFixture host)
    {
        using HttpResponseMessage started = await host.Http.PostAsync("/api/health/sweep", null);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        JsonElement final = await host.PollUntilDoneAsync((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!);
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        return final.GetProperty("output");
    }
}
