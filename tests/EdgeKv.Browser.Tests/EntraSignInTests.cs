using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeKv.Browser.Tests;

/// <summary>
/// Sign-in with Microsoft Entra ID as a single-page app: authorization code with PKCE. The identity provider is played
/// by Playwright's request routing (no network): it checks the authorize request and that the token request's
/// code_verifier hashes to the code_challenge, and answers a token EdgeKv did not issue trust to, which the API
/// refuses.
/// </summary>
[TestClass]
public sealed class EntraSignInTests
{
    private const string Authority = "https://login.entra.test/tenant-1/v2.0";
    private const string ClientId = "6a1d0c1a-0000-4000-8000-00000000dash";

    /// <param name="at">Where the page is: the local host's <c>/</c>, or <c>/api/dashboard/</c>, the redirect URI
    /// registered in Azure (docs/azure.md).</param>
    [TestMethod]
    [DataRow("/")]
    [DataRow("/api/dashboard/")]
    public async Task Entra_sign_in_uses_the_code_flow_with_PKCE_keeps_the_token_in_session_storage_and_the_API_refuses_an_untrusted_token(string at)
    {
        await using DashboardHost host = await DashboardHost.StartAsync("--EdgeKv:Dashboard:ClientId", ClientId,
            "--EdgeKv:Dashboard:Authority", Authority);
        await using BrowserSession browser = await BrowserSession.StartAsync(host.BaseAddress);
        await using IBrowserContext context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress.ToString() });
        IPage page = await context.NewPageAsync();
        string? challenge = null, state = null, verifier = null;
        var tokenIssued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Records which storage the page writes to (sessionStorage only is allowed).
        await context.AddInitScriptAsync("(() => { const set = Storage.prototype.setItem; window.__writes = []; Storage.prototype.setItem = function (k, v) { " +
            "window.__writes.push((this === window.sessionStorage ? 'session:' : 'local:') + k); return set.call(this, k, v); }; })()");
        string redirect = new Uri(host.BaseAddress, at).ToString();

        await page.RouteAsync("https://login.entra.test/**", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.AbsolutePath == "/tenant-1/oauth2/v2.0/authorize")
            {
                var q = QueryHelpers.ParseQuery(url.Query);
                Assert.AreEqual("code", q["response_type"].ToString());
                Assert.AreEqual(ClientId, q["client_id"].ToString());
                Assert.AreEqual("S256", q["code_challenge_method"].ToString());
                Assert.AreEqual(redirect, q["redirect_uri"].ToString());
                StringAssert.Contains(q["scope"].ToString(), "api://edgekv/.default");
                (challenge, state) = (q["code_challenge"].ToString(), q["state"].ToString());
                await route.FulfillAsync(new RouteFulfillOptions { Status = 302,
                    Headers = new Dictionary<string, string> { ["Location"] = $"{redirect}?code=the-code&state={state}" } });
                return;
            }

            var form = QueryHelpers.ParseQuery(route.Request.PostData);
            Assert.AreEqual("authorization_code", form["grant_type"].ToString());
            Assert.AreEqual("the-code", form["code"].ToString());
            verifier = form["code_verifier"].ToString();
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200, ContentType = "application/json",
                    Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
                Body = JsonSerializer.Serialize(new { access_token = UnsignedToken(), token_type = "Bearer",
                    expires_in = 3600 }),
            });
            tokenIssued.TrySetResult();
        });

        await page.GotoAsync(at);
        await page.GetByText("Sign in with Microsoft").ClickAsync();
        await tokenIssued.Task.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.AreEqual(challenge, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier!))),
            "code_challenge = S256(code_verifier)");
        // EdgeKv checks the token's signature and issuer: its API answers 401 and the page goes back to sign-in.
        await Expect(page.GetByText("Sign in with Microsoft")).ToBeVisibleAsync();
        string[] writes = await page.EvaluateAsync<string[]>("() => window.__writes");
        CollectionAssert.Contains(writes, "session:edgekv.session", "the token was kept, in sessionStorage");
        Assert.IsFalse(writes.Any(w => w.StartsWith("local:", StringComparison.Ordinal)), "nothing in localStorage");
        Assert.AreEqual(0, await page.EvaluateAsync<int>("() => localStorage.length + document.cookie.length"));
        Assert.IsNull(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('edgekv.session')"),
            "signed out after the API's 401");
    }

    private static string UnsignedToken()
    {
        static string Part(object o) => WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(o));
        long exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Part(new { alg = "RS256", typ = "JWT" })}.{Part(new { name = "Ada", roles = new[] { "EdgeKv.Auditor" }, aud = "api://edgekv", exp })}.bm90LXNpZ25lZA";
    }
}
