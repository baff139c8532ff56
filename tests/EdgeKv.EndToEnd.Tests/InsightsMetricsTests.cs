using System.Net;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The Security page's Insights carries the vault's platform metrics (Azure Monitor, read with MetricsQueryClient from
/// the emulator) beside the audit-log counts, over a bounded window; a bad window or interval is the caller's 400.
/// </summary>
[TestClass]
public sealed class InsightsMetricsTests
{
    private static SecuredHost secured = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _) => secured = await SecuredHost.SharedAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await secured.SendAsync("auditor", HttpMethod.Get, path);
        string body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    [TestMethod]
    public async Task Secret_reads_show_in_the_platform_metrics_beside_the_audit_counts()
    {
        (_, JsonElement resource) = await GetAsync($"/api/resources/{SecuredHost.B}");
        SecretClient vault = secured.Host.Factory.CreateSecretClient(new Uri(resource.GetProperty("vault").GetProperty("uri").GetString()!));
        DateTimeOffset from = DateTimeOffset.UtcNow.AddMinutes(-2);
        const int reads = 5;
        for (int i = 0; i < reads; i++) await vault.GetSecretAsync("BmcUserPassword");

        string to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(3).ToString("O"));
        (HttpStatusCode status, JsonElement insights) = await GetAsync($"/api/resources/{SecuredHost.B}/security/insights?from={Uri.EscapeDataString(from.ToString("O"))}&to={to}&interval=PT1M");

        Assert.AreEqual(HttpStatusCode.OK, status, insights.ToString());
        JsonElement metrics = insights.GetProperty("metrics");
        Assert.AreEqual(JsonValueKind.Null, metrics.GetProperty("error").ValueKind, metrics.ToString());
        Assert.AreEqual("PT1M", metrics.GetProperty("interval").GetString());
        Assert.IsTrue(metrics.GetProperty("totalHits").GetInt64() >= reads, metrics.ToString());
        Assert.IsTrue(metrics.GetProperty("resultsByClass").GetProperty("2xx").GetInt64() >= reads, metrics.ToString());
        JsonElement[] points = [.. metrics.GetProperty("points").EnumerateArray()];
        Assert.IsTrue(points.Length is >= 5 and <= 7, $"{points.Length} one-minute points over five minutes");
        Assert.AreEqual(metrics.GetProperty("totalHits").GetInt64(), points.Sum(p => p.GetProperty("hits").GetInt64()));
        Assert.AreEqual(100, metrics.GetProperty("availability").GetDouble());
        Assert.IsTrue(metrics.GetProperty("latencyMaxMs").GetDouble() >= metrics.GetProperty("latencyAverageMs").GetDouble());
        Assert.AreEqual(from, insights.GetProperty("from").GetDateTimeOffset(),
            "the audit counts cover the same window");
    }

    [TestMethod]
    public async Task Without_a_window_insights_cover_the_last_24_hours()
    {
        (HttpStatusCode status,
            JsonElement insights) = await GetAsync($"/api/resources/{SecuredHost.B}/security/insights");

        Assert.AreEqual(HttpStatusCode.OK, status, insights.ToString());
        TimeSpan window = insights.GetProperty("to").GetDateTimeOffset() - insights.GetProperty("from").GetDateTimeOffset();
        Assert.AreEqual(TimeSpan.FromHours(24), window);
        Assert.AreEqual("PT15M", insights.GetProperty("metrics").GetProperty("interval").GetString());
    }

    [TestMethod]
    [DataRow("interval=PT2M", "InvalidInterval")]
    [DataRow("interval=often", "InvalidInterval")]
    [DataRow("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "InvalidTimeWindow")]
    [DataRow("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "InvalidTimeWindow")]
    [DataRow("from=2026-01-01T00:00:00Z&to=2026-01-10T00:00:00Z&interval=PT1M", "InvalidInterval")]
    [DataRow("from=yesterday", "BadRequest")]
    [DataRow("from=9999-12-31T23:59:59Z", "InvalidTimeWindow")]
    [DataRow("to=0001-01-01T00:00:00Z", "InvalidTimeWindow")]
    public async Task A_bad_window_or_interval_is_a_400_in_Azures_error_shape(string query, string code)
    {
        (HttpStatusCode status,
            JsonElement body) = await GetAsync($"/api/resources/{SecuredHost.B}/security/insights?{query}");

        Assert.AreEqual(HttpStatusCode.BadRequest, status, body.ToString());
        Assert.AreEqual(code, body.GetProperty("error").GetProperty("code").GetString());
        Assert.IsFalse(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }
}
