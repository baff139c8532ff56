using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The fleet's lists in Azure's shape: <c>{value, nextLink}</c>, pages of <c>top</c>, followed to the end without gaps
/// or repeats.
/// </summary>
[TestClass]
public sealed class ListPagingTests
{
    [TestMethod]
    public async Task Resources_and_alerts_page_by_top_and_nextLink_and_refuse_bad_paging_input()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        string[] names = ["pg-e", "pg-a", "pg-d", "pg-b", "pg-c"];
        foreach (string name in names)
        {
            using HttpResponseMessage put = await host.Http.PutAsJsonAsync($"/api/resources/{name}", new { });
            Assert.IsTrue(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        AlertStore alerts = host.Services.GetRequiredService<AlertStore>();
        foreach (string name in names) await alerts.RaiseAsync(new AlertObservation(name, AlertKind.VaultLockMissing,
            "test"));

        CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToArray(),
            (await FollowAsync(host, "/api/resources?top=2", "name")).ToArray());
        CollectionAssert.AreEqual(names,
            (await FollowAsync(host, "/api/alerts?top=2&state=Active", "resource")).ToArray(), "oldest first");

        foreach (string bad in new[] { "/api/resources?top=0", "/api/resources?top=1001", "/api/alerts?top=5000",
            "/api/alerts?continuationToken=abc" })
        {
            using HttpResponseMessage refused = await host.Http.GetAsync(bad);
            Assert.AreEqual(HttpStatusCode.BadRequest, refused.StatusCode, bad);
            Assert.IsTrue((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").TryGetProperty("code", out _), bad);
        }
    }

    [TestMethod]
    public async Task A_narrow_scope_over_a_long_list_gets_short_bounded_pages_that_still_reach_its_entries()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        AlertStore alerts = host.Services.GetRequiredService<AlertStore>();
        // 10,500 alerts of other resources first, then the one the scoped caller may see.
        await alerts.ApplySweepAsync([],
            [.. Enumerable.Range(0,
                10_500).Select(i => new AlertObservation($"other-{i:D5}", AlertKind.VaultLockMissing, "test"))]);
        await alerts.RaiseAsync(new AlertObservation("pg-mine", AlertKind.VaultLockMissing, "test"));
        using HttpResponseMessage granted = await host.Http.PutAsJsonAsync("/api/roleAssignments/paging-reader",
            new { principalId = "0b1d0c1a-0000-4000-8000-000000000002", role = "Auditor",
                scope = "/resources/pg-mine" });
        Assert.AreEqual(HttpStatusCode.OK, granted.StatusCode, await granted.Content.ReadAsStringAsync());
        using var reader = new HttpClient { BaseAddress = host.Http.BaseAddress };
        reader.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            await host.IssueTokenAsync("reader"));

        JsonElement first = await reader.GetFromJsonAsync<JsonElement>("/api/alerts?top=10");
        Assert.AreEqual(0, first.GetProperty("value").GetArrayLength(),
            "the first 10,000 alerts are others': the page ends early, empty");
        Assert.AreEqual(JsonValueKind.String, first.GetProperty("nextLink").ValueKind, "with a link to go on");
        JsonElement second = await reader.GetFromJsonAsync<JsonElement>(new Uri(first.GetProperty("nextLink").GetString()!).PathAndQuery);
        CollectionAssert.AreEqual(new[] { "pg-mine" },
            second.GetProperty("value").EnumerateArray().Select(a => a.GetProperty("resource").GetString()).ToArray());
        Assert.AreEqual(JsonValueKind.Null, second.GetProperty("nextLink").ValueKind);
    }

    private static async Task<List<string>> FollowAsync(HostFixture host, string first, string field)
    {
        var seen = new List<string>();
        string? next = first;
        int pages = 0;
        while (next is not null)
        {
            JsonElement page = await host.Http.GetFromJsonAsync<JsonElement>(next);
            Assert.IsTrue(page.GetProperty("value").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(v => v.GetProperty(field).GetString()!));
            next = page.GetProperty("nextLink").ValueKind == JsonValueKind.String ? new Uri(page.GetProperty("nextLink").GetString()!).PathAndQuery : null;
            Assert.IsLessThan(10, ++pages);
        }

        return seen;
    }
}
