using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The dashboard as Azure serves it, from the app's own ServeDashboard function at <c>/api/dashboard/</c>, here under
/// the local host (which also serves it at <c>/</c>): no credential, content types and cache headers, the page for
/// unknown page paths, 404 for unknown files, and nothing outside the dashboard's folder for any spelling of <c>..</c>.
/// </summary>
[TestClass]
public sealed partial class ServeDashboardTests
{
    [TestMethod]
    public async Task The_app_serves_the_dashboard_at_api_dashboard_without_a_credential_and_nothing_outside_it()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http.BaseAddress };

        using HttpResponseMessage page = await anonymous.GetAsync("/api/dashboard/");
        Assert.AreEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.AreEqual("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("no-cache", page.Headers.CacheControl?.ToString());
        string html = await page.Content.ReadAsStringAsync();
        // The local host's own / serves the same page: the two do not collide.
        using HttpResponseMessage root = await anonymous.GetAsync("/");
        Assert.AreEqual(html, await root.Content.ReadAsStringAsync());

        // Its assets, by the relative paths the page names (resolved against /api/dashboard/).
        string[] assets = [.. AssetPattern().Matches(html).Select(m => m.Groups["path"].Value)];
        Assert.IsTrue(assets.Any(a => a.EndsWith(".js", StringComparison.Ordinal)),
            "the page names its script: " + html);
        foreach (string asset in assets)
        {
            using HttpResponseMessage file = await anonymous.GetAsync("/api/dashboard/" + asset);
            Assert.AreEqual(HttpStatusCode.OK, file.StatusCode, asset);
            Assert.AreEqual(asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css",
                file.Content.Headers.ContentType?.MediaType, asset);
            Assert.AreEqual("public, max-age=31536000, immutable", file.Headers.CacheControl?.ToString(), asset);
            Assert.AreEqual("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // Without its slash the page's relative assets would miss: redirected, query kept (Entra's ?code= comes back
        // here).
        using HttpResponseMessage bare = await anonymous.GetAsync("/api/dashboard?code=x");
        Assert.AreEqual(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.AreEqual("/api/dashboard/?code=x", bare.Headers.Location?.OriginalString);

        // A page path gets the page (it routes by hash); a file that is not there is Azure's 404.
        using HttpResponseMessage deep = await anonymous.GetAsync("/api/dashboard/resources/ase1");
        Assert.AreEqual(html, await deep.Content.ReadAsStringAsync());
        using HttpResponseMessage missing = await anonymous.GetAsync("/api/dashboard/assets/no-such.js");
        Assert.AreEqual(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.AreEqual("NotFound", (await ErrorCodeAsync(missing)));

        // How the page signs in: the local test principals here, through the host's loopback-only token route.
        using HttpResponseMessage config = await anonymous.GetAsync("/api/dashboard/config.json");
        Assert.AreEqual(HttpStatusCode.OK, config.StatusCode);
        Assert.AreEqual("no-store", config.Headers.CacheControl?.ToString());
        using JsonDocument settings = JsonDocument.Parse(await config.Content.ReadAsStringAsync());
        Assert.AreEqual("", settings.RootElement.GetProperty("apiBase").GetString());
        Assert.AreEqual("/local/token", settings.RootElement.GetProperty("local").GetProperty("tokenUrl").GetString());

        // Every spelling of a way out of the folder, towards files that are there (the app's own binaries beside it).
        foreach (string escape in (string[])["..%2FEdgeKv.Functions.dll", "..%5CEdgeKv.Functions.dll",
            "assets/..%2F..%2FEdgeKv.Functions.dll",
                     "%2e%2e/EdgeKv.Functions.dll", "%2E%2E%2F%2E%2E%2Fhost.json",
                     "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "C:%5CWindows%5Cwin.ini"])
        {
            using HttpResponseMessage refused = await anonymous.GetAsync("/api/dashboard/" + escape);
            int status = (int)refused.StatusCode;
            Assert.IsTrue(status is >= 400 and < 500, $"{escape}: {status}");
            string body = await refused.Content.ReadAsStringAsync();
            Assert.IsFalse(body.StartsWith("MZ", StringComparison.Ordinal) || body.Contains("durableTask",
                StringComparison.Ordinal) || body.Contains("root:", StringComparison.Ordinal), $"{escape}: {body}");
        }
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        try
        {
            using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("error").GetProperty("code").GetString();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex("""(?:src|href)="\./(?<path>assets/[^"]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex AssetPattern();
}
