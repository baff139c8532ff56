using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeKv.Browser.Tests;

/// <summary>
/// The dashboard in Chromium against one real host (shared by the class): three resources activated end to end
/// (ase-view for reading, ase-heal for damage and healing, ase-drift for access policies EdgeKv did not grant) and
/// 1,000 more records for paging.
/// </summary>
[TestClass]
public sealed class DashboardTests
{
    private const string View = "ase-view";
    private const string Heal = "ase-heal";
    private const string Drift = "ase-drift";
    private const string SecurityTeamObjectId = "0b1d0c1a-0000-4000-8000-000000000004";

    private static DashboardHost host = null!;
    private static BrowserSession browser = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        host = await DashboardHost.StartAsync();
        browser = await BrowserSession.StartAsync(host.BaseAddress);
        await Task.WhenAll(host.ActivateAsync(View), host.ActivateAsync(Heal), host.ActivateAsync(Drift));
        ResourceStore store = host.Services.GetRequiredService<ResourceStore>();
        JsonElement template = await host.GetAsync($"/api/resources/{View}");
        for (int i = 0; i < 1000; i++)
        {
            await store.TryAddAsync(new ResourceRecord
            {
                Name = $"fleet-{i:D4}", ResourceId = $"{template.GetProperty("resourceId").GetString()![..^View.Length]}fleet-{i:D4}",
                ResourceGroup = template.GetProperty("resourceGroup").GetString()!,
                Location = template.GetProperty("location").GetString()!,
            });
        }
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        if (host is not null) await host.DisposeAsync();
    }

    [TestMethod]
    [DataRow("security-team", "Overview,Orchestrations,Keys,Audit trail")]
    [DataRow("operator", "Overview,Orchestrations")]
    [DataRow("auditor", "Overview,Orchestrations,Keys,Audit trail")]
    public async Task Each_role_sees_only_its_views_and_controls(string principal, string views)
    {
        await using DashboardPage d = await browser.SignInAsync(principal);
        IPage page = d.Page;
        CollectionAssert.AreEqual(views.Split(','),
            (await page.Locator("nav a[data-nav]").AllInnerTextsAsync()).ToArray());

        await d.GoAsync($"#/resources/{View}");
        await Expect(page.GetByTestId("healthy")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("secrets-table")).ToBeVisibleAsync();
        bool security = principal == "security-team", auditor = principal == "auditor";
        Assert.AreEqual(security ? 1 : 0, await page.GetByTestId("reveal-secrets").CountAsync(), "reveal control");
        Assert.AreEqual(auditor ? 0 : 1, await page.Locator("button[data-heal='syncDeviceSecrets']").CountAsync(),
            "sync (heal) control");
        Assert.AreEqual(auditor ? 0 : 1, await page.Locator($"a[href='#/resources/{View}/activation']").CountAsync(),
            "activation link");
        Assert.AreEqual(principal == "operator" ? 0 : 1, await page.Locator("#insights").CountAsync(),
            "insights (audit read)");

        if (principal == "operator")
        {
            await d.GoAsync("#/keys");
            await Expect(page.Locator("main [role=alert]")).ToContainTextAsync("does not give access");
        }

        string forbidden = principal == "operator" ? "#/audit" : auditor ? $"#/resources/{View}/activation" : "#/nowhere";
        await d.GoAsync(forbidden);
        await Expect(page.Locator("main [role=alert]")).ToContainTextAsync(principal == "security-team" ? "No such page" : "does not give access");
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_dashboard_as_Azure_serves_it_at_api_dashboard_signs_in_and_shows_a_resource_from_the_API()
    {
        // The app's ServeDashboard function, the one way to the page under the Functions host (its / is the host's
        // own).
        await using DashboardPage d = await browser.SignInAsync("operator", at: "/api/dashboard/");
        IPage page = d.Page;
        CollectionAssert.AreEqual(new[] { "Overview", "Orchestrations" },
            (await page.Locator("nav a[data-nav]").AllInnerTextsAsync()).ToArray());

        await d.GoAsync($"#/resources/{View}");
        await Expect(page.GetByTestId("healthy")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("secrets-table")).ToBeVisibleAsync();
        StringAssert.StartsWith(page.Url, new Uri(browser.BaseAddress, "/api/dashboard/").ToString());
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    [DataRow("operator", "GET", "/api/audit")]
    [DataRow("operator", "GET", "/api/resources/ase-view/security/secrets?includeValues=true")]
    [DataRow("operator", "GET", "/api/keys")]
    [DataRow("operator", "GET", "/api/kms")]
    [DataRow("auditor", "POST", "/api/keys/browser-key/rotate")]
    [DataRow("auditor", "POST", "/api/resources/ase-view/syncDeviceSecrets")]
    [DataRow("auditor", "POST", "/api/resources/ase-view/activationKey")]
    [DataRow("auditor", "GET", "/api/resources/ase-view/security/secrets?includeValues=true")]
    public async Task What_a_role_does_not_see_the_API_refuses_too(string principal, string method, string path)
    {
        using HttpResponseMessage response = await host.SendAsAsync(principal, new HttpMethod(method), path);
        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [TestMethod]
    public async Task Operator_activates_a_resource_watches_the_ten_steps_and_fetches_the_key_once()
    {
        await host.CreateResourceAsync("ase-act");
        await using DashboardPage d = await browser.SignInAsync("operator");
        IPage page = d.Page;
        await d.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await d.GoAsync("#/resources/ase-act/activation");
        await page.Locator("#vault-name").FillAsync("kv-act-browser");
        await page.GetByTestId("generate").ClickAsync();
        await Expect(page.Locator("[data-testid='activation-progress'][data-finished='Completed']")).ToBeVisibleAsync();
        Assert.AreEqual(10, await page.Locator("[data-testid='steps'] li.done").CountAsync(), "all ten steps done");

        await page.GetByTestId("fetch-key").ClickAsync();
        string key = await page.GetByTestId("activation-key").InputValueAsync();
        StringAssert.StartsWith(key, "EKV1.");
        Assert.AreEqual(0, await page.GetByTestId("fetch-key").CountAsync(), "the key is fetched once");
        await page.GetByTestId("copy-key").ClickAsync();
        Assert.AreEqual(key, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        JsonElement resource = await host.GetAsync("/api/resources/ase-act");
        Assert.AreEqual("kv-act-browser", resource.GetProperty("vault").GetProperty("name").GetString());
        Assert.IsTrue(resource.GetProperty("activationKeyDelivered").GetBoolean());
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task A_vault_deleted_out_of_band_shows_the_critical_banner_through_Event_Grid_and_heals_from_the_page()
    {
        JsonElement resource = await host.GetAsync($"/api/resources/{Heal}");
        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;
        EventSubscriptionsClient subscriptions = host.Factory.GetEventSubscriptionsClient();
        var webhook = new Uri(host.BaseAddress,
            $"/api/eventgrid?functionName=VaultEvents&code={DashboardHost.EventGridKey}");
        await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(resource.GetProperty("resourceGroup").GetString()!), "edgekv-vault-events", webhook,
            [EventSubscriptionsClient.ResourceDeleteSuccess]);

        await using DashboardPage d = await browser.SignInAsync("security-team");
        IPage page = d.Page;
        await d.GoAsync($"#/resources/{Heal}");
        await Expect(page.GetByTestId("healthy")).ToBeVisibleAsync();
        // Let the page finish reading the vault's views first: a vault deleted under a loading page is a real 404. (The
        // network went idle once at sign-in, and a hash route is the same document, so waiting for NetworkIdle is not
        // enough.)
        await Expect(page.GetByTestId("secrets-table")).ToBeVisibleAsync();
        await Expect(page.Locator("main .msg.info", new() { HasText = "Loading…" })).ToHaveCountAsync(0);

        await host.Emulator.Admin.DeleteResourceAsync(vaultId);
        // The summary sees the vault gone at once; Event Grid delivers the deletion to the webhook, which raises the
        // VaultDeleted alert: reload (bounded) until the banner names it.
        ILocator banner = page.GetByTestId("critical-banner");
        ILocator alert = banner.GetByText("VaultDeleted:");
        for (int attempt = 0; attempt < 30 && !await alert.IsVisibleAsync(); attempt++)
        {
            await page.ReloadAsync();
            try
            {
                await alert.WaitForAsync(new() { Timeout = 2_000 });
            }
            catch (TimeoutException)
            {
                // Not delivered yet: reload again.
            }
        }

        await Expect(banner).ToContainTextAsync("VaultDeleted");
        await Expect(page.GetByTestId("vault-state")).ToHaveTextAsync("Deleted");
        Assert.IsTrue((await host.Emulator.Admin.GetEventDeliveriesAsync()).Any(e => e.EventType == EventSubscriptionsClient.ResourceDeleteSuccess && e.Status == 202),
            "the alert came through Event Grid's delivery, not a sweep");
        await d.ScreenshotAsync("dashboard-security-banner.png");
        using (HttpResponseMessage sweep = await host.Http.PostAsync("/api/health/sweep", null))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, sweep.StatusCode);
            await host.PollAsync((await sweep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromSeconds(60));
        }

        await d.GoAsync("#/");
        await Expect(page.GetByTestId("count-Critical")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("last-sweep")).ToContainTextAsync("Completed");
        await Expect(page.Locator("#trend canvas")).ToBeVisibleAsync();

        await d.GoAsync($"#/resources/{Heal}");
        await banner.Locator("button[data-heal='recoverVault']").ClickAsync();
        // The flow shows its steps live; at the last one it waits for the device, which answers now.
        await Expect(page.GetByTestId("progress-text")).ToContainTextAsync("Step 6 of 6");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await host.AnswerOneSyncAsync(Heal, cts.Token);
        await Expect(page.GetByTestId("healthy")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("vault-state")).ToHaveTextAsync("Present");
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_overview_charts_each_sweep_with_the_APIs_numbers_and_a_sweep_run_from_the_page_adds_its_point()
    {
        await host.SweepAsync();
        await host.SweepAsync();
        // One alert raised and resolved, so the alerts chart has something to draw whichever test ran before.
        AlertStore alerts = host.Services.GetRequiredService<AlertStore>();
        await alerts.RaiseAsync(new AlertObservation("fleet-0001", AlertKind.VaultLockMissing,
            "raised for the overview's chart"));
        await alerts.ResolveAsync("fleet-0001", [AlertKind.VaultLockMissing]);

        await using DashboardPage d = await browser.SignInAsync("security-team");
        IPage page = d.Page;
        Task<IResponse> sweepsRead = page.WaitForResponseAsync(r => r.Url.Contains("/api/health/sweeps",
            StringComparison.Ordinal));
        Task<IResponse> trendRead = page.WaitForResponseAsync(r => r.Url.Contains("/api/alerts/timeline",
            StringComparison.Ordinal));
        await d.GoAsync("#/");
        JsonElement api = JsonDocument.Parse(await (await sweepsRead).TextAsync()).RootElement;
        JsonElement trend = JsonDocument.Parse(await (await trendRead).TextAsync()).RootElement;

        Assert.AreEqual(JsonValueKind.Null, api.GetProperty("nextLink").ValueKind, "one page holds them");
        JsonElement[] sweeps = [.. api.GetProperty("value").EnumerateArray()];
        Assert.IsGreaterThanOrEqualTo(2, sweeps.Length);
        Assert.IsTrue(sweeps[^2..].All(x => x.GetProperty("trigger").GetString() == "http" && x.GetProperty("checked").GetInt32() >= 1), "the two sweeps just run, each checking the activated resources");
        ILocator plot = page.GetByTestId("sweeps-chart");
        await Expect(plot).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("checked"));
        JsonElement points = JsonDocument.Parse((await plot.GetAttributeAsync("data-points"))!).RootElement;
        foreach ((string series, string field) in new[] { ("checked", "checked"), ("faulty", "faulty"),
            ("raised", "raised"), ("resolved", "resolved") })
        {
            CollectionAssert.AreEqual(sweeps.Select(x => x.GetProperty(field).GetInt32()).ToArray(),
                points.GetProperty(series).EnumerateArray().Select(p => p.GetInt32()).ToArray(),
                $"the chart's {series} points are the API's");
        }

        Assert.AreEqual(sweeps.Length,
            JsonDocument.Parse((await plot.GetAttributeAsync("data-labels"))!).RootElement.GetArrayLength(),
            "one point per sweep");
        await Expect(page.Locator("[data-testid='sweeps-table'] tbody tr")).ToHaveCountAsync(Math.Min(10,
            sweeps.Length));

        ILocator trendPlot = page.GetByTestId("trend-chart");
        await Expect(trendPlot).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("raised"));
        JsonElement drawn = JsonDocument.Parse((await trendPlot.GetAttributeAsync("data-points"))!).RootElement;
        foreach (string series in new[] { "raised", "resolved" })
        {
            CollectionAssert.AreEqual(trend.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty(series).GetInt32()).ToArray(),
                drawn.GetProperty(series).EnumerateArray().Select(p => p.GetInt32()).ToArray(),
                $"alerts {series} per hour: the chart's points are the API's");
        }

        Assert.IsGreaterThanOrEqualTo(1, trend.GetProperty("resolved").GetInt32());

        await page.GetByTestId("sweep-now").ClickAsync();
        await page.WaitForFunctionAsync("n => JSON.parse(document.querySelector(\"[data-testid='sweeps-chart']\")?.dataset.labels ?? '[]').length === n",
            sweeps.Length + 1);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await d.ScreenshotAsync("dashboard-overview.png");
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_security_team_sees_a_key_with_its_versions_and_where_each_is_distributed_rotates_it_from_the_page_and_an_auditor_only_reads_it()
    {
        const string Key = "browser-key", Kms = "browser-kms", Vault = "browser-keys-kv";
        // A vault an operator made in EdgeKv's group (the only one its identity may read), granting EdgeKv keys access,
        // registered as a KMS provider; the key is distributed to it before the rotation.
        RunningEmulator emulator = host.Emulator;
                string[] keyPermissions = ["get", "list", "create", "import", "update", "delete", "sign", "verify"];
        await host.Contributor.GetVaultsClient().CreateOrUpdateAsync("edgekv-local", Vault,
            new VaultDefinition(emulator.DefaultLocation, emulator.TenantId,
            [new VaultAccessPolicy(emulator.TenantId,
                emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId.ToString(), [], keyPermissions)]));
        await host.SendJsonAsync("PUT", $"/api/kms/{Kms}", new { provider = "azurekeyvault", keyCollection = Vault },
            HttpStatusCode.Created);
        await host.SendJsonAsync("PUT", $"/api/keys/{Key}", new { type = "rsa-2048" }, HttpStatusCode.Created);
        await host.RunFlowAsync("PUT", $"/api/kms/{Kms}/keys/{Key}",
            new { purpose = new[] { "sign", "verify" }, protection = "software" });
        JsonElement before = await host.GetAsync($"/api/keys/{Key}");

        await using DashboardPage d = await browser.SignInAsync("security-team");
        IPage page = d.Page;
        await page.Locator("nav a[data-nav='Keys']").ClickAsync();
        await Expect(page.GetByTestId($"latest-{Key}")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-testid='kms-table']")).ToContainTextAsync(Vault);
        await page.Locator($"a[data-key='{Key}']").ClickAsync();
        await Expect(page.GetByTestId("latest-version")).ToHaveTextAsync("1");
        ILocator versions = page.Locator("[data-testid='versions-table'] tbody tr");
        await Expect(versions).ToHaveCountAsync(1);
        string pem = before.GetProperty("versions")[0].GetProperty("publicKey").GetString()!;
        StringAssert.StartsWith(pem, "-----BEGIN PUBLIC KEY-----");
        await Expect(versions.Locator("code.output")).ToHaveTextAsync(pem);
        await Expect(page.Locator($"li[data-kms='{Kms}']")).ToContainTextAsync("sign, verify");

        await page.GetByTestId("rotate-key").ClickAsync();
        await Expect(page.Locator("[data-testid='rotate-progress'][data-finished='Completed']")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("latest-version")).ToHaveTextAsync("2");
        await Expect(versions).ToHaveCountAsync(2);
        JsonElement after = await host.GetAsync($"/api/keys/{Key}");
        Assert.AreEqual(2, after.GetProperty("latestVersion").GetInt32());
        CollectionAssert.AreEqual(new[] { 1, 2 },
            after.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ToArray());
        Assert.AreEqual(pem, after.GetProperty("versions")[0].GetProperty("publicKey").GetString(),
            "the first version is kept as it was");
        // Where each version is: the Azure key version that holds it in the provider's vault, newest first as the page
        // lists them.
        JsonElement placed = await host.GetAsync($"/api/kms/{Kms}/keys/{Key}");
        string[] azureVersions = [.. placed.GetProperty("versions").EnumerateArray().OrderByDescending(v => v.GetProperty("version").GetInt32())
            .Select(v => v.GetProperty("azureVersion").GetString()!)];
        Assert.HasCount(2, azureVersions, "the rotation imported version 2 into the vault");
        CollectionAssert.AreEqual(azureVersions.Select(v => v[..Math.Min(12, v.Length)]).ToArray(),
            (await versions.Locator("td code:not(.output)").AllInnerTextsAsync()).ToArray());
        await d.ScreenshotAsync("dashboard-key.png");
        d.AssertNoConsoleErrors();

        await using DashboardPage auditor = await browser.SignInAsync("auditor");
        await auditor.GoAsync($"#/keys/{Key}");
        await Expect(auditor.Page.GetByTestId("latest-version")).ToHaveTextAsync("2");
        Assert.AreEqual(0, await auditor.Page.GetByTestId("rotate-key").CountAsync(),
            "an auditor reads key metadata only");
        auditor.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_security_team_reveals_secret_values_with_an_audit_record_and_an_auditor_has_no_reveal_control()
    {
        await using (DashboardPage auditor = await browser.SignInAsync("auditor"))
        {
            // A path-style link is sent to its hash route.
            await auditor.Page.GotoAsync($"/resources/{View}");
            StringAssert.EndsWith(auditor.Page.Url, $"/#/resources/{View}");
            await Expect(auditor.Page.GetByTestId("secrets-table")).ToContainTextAsync("BitLockerRecoveryKey");
            Assert.AreEqual(0, await auditor.Page.GetByTestId("reveal-secrets").CountAsync());
            Assert.AreEqual(0, await auditor.Page.Locator(".secret-value").CountAsync());
            StringAssert.DoesNotMatch(await auditor.Page.ContentAsync(),
                new System.Text.RegularExpressions.Regex(DashboardHost.BitLocker));
            auditor.AssertNoConsoleErrors();
        }

        await using DashboardPage d = await browser.SignInAsync("security-team");
        IPage page = d.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await d.GoAsync($"#/resources/{View}");
        await Expect(page.GetByTestId("secrets-table")).ToContainTextAsync("BitLockerRecoveryKey");
        Assert.IsFalse((await page.ContentAsync()).Contains(DashboardHost.BitLocker, StringComparison.Ordinal),
            "no value before the reveal");
        await page.GetByTestId("reveal-secrets").ClickAsync();
        await Expect(page.Locator(".secret-value[data-secret='BitLockerRecoveryKey']")).ToHaveTextAsync(DashboardHost.BitLocker);
        await Expect(page.Locator(".secret-value[data-secret='BmcUserPassword']")).ToHaveTextAsync(DashboardHost.Bmc);

        JsonElement audit = (await host.GetAsync($"/api/audit?operation=SecretValueRead&resource={View}&result=Succeeded&top=1000")).GetProperty("value");
        Assert.IsTrue(audit.EnumerateArray().Any(r => r.GetProperty("secretName").GetString() == "BitLockerRecoveryKey"
            && r.GetProperty("principal").GetString() == SecurityTeamObjectId),
                "the reveal is in the audit trail under the reader");
        await page.GetByTestId("hide-secrets").ClickAsync();
        await Expect(page.Locator(".secret-value")).ToHaveCountAsync(0);
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_security_team_accepts_one_access_policy_EdgeKv_did_not_grant_and_removes_another_from_the_page_and_an_auditor_only_sees_them()
    {
        JsonElement resource = await host.GetAsync($"/api/resources/{Drift}");
        string group = resource.GetProperty("resourceGroup").GetString()!;
        string vaultName = resource.GetProperty("vault").GetProperty("name").GetString()!;
        // Out of band, as an operator-grade principal: the contributor grants itself secrets access, and a partner too.
        string intruder = host.Emulator.GetPrincipal(EmulatorPrincipals.Contributor).ObjectId.ToString();
        string partner = Guid.NewGuid().ToString();
        await host.Contributor.GetVaultsClient().UpdateAccessPoliciesAsync(group, vaultName, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(host.Emulator.TenantId, intruder, ["get", "list"]),
                new VaultAccessPolicy(host.Emulator.TenantId, partner, ["get"])]);
        await host.SweepAsync();

        await using (DashboardPage auditor = await browser.SignInAsync("auditor"))
        {
            await auditor.GoAsync($"#/resources/{Drift}");
            await Expect(auditor.Page.GetByTestId("critical-banner")).ToContainTextAsync("AccessPolicyNotGrantedByEdgeKv");
            await Expect(auditor.Page.GetByTestId("flagged-policy")).ToHaveCountAsync(2);
            Assert.AreEqual(0, await auditor.Page.Locator("[data-remove-policy], [data-accept-policy]").CountAsync(),
                "an auditor sees the drift, not the controls");
            auditor.AssertNoConsoleErrors();
        }

        foreach (string role in new[] { "auditor", "operator" })
        {
            foreach (string action in new[] { "accept", "remove" })
            {
                using HttpResponseMessage refused = await host.SendAsAsync(role, HttpMethod.Post,
                    $"/api/resources/{Drift}/accessPolicies/{partner}/{action}");
                Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode, $"{role} {action}");
            }
        }

        await using DashboardPage d = await browser.SignInAsync("security-team");
        IPage page = d.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await d.GoAsync($"#/resources/{Drift}");
        await Expect(page.GetByTestId("critical-banner")).ToContainTextAsync("AccessPolicyNotGrantedByEdgeKv");
        await page.GetByTestId("review-policies").ClickAsync();
        await Expect(page.GetByTestId("flagged-policy")).ToHaveCountAsync(2);
        Assert.AreEqual(2, await page.Locator("[data-remove-policy]").CountAsync(),
            "only the entries EdgeKv did not grant can be removed");
        // One alert per flagged entry, each naming its principal, of the Security category.
        await Expect(page.GetByTestId("alerts-table")).ToContainTextAsync(partner);
        await Expect(page.GetByTestId("alerts-table")).ToContainTextAsync(intruder);
        await Expect(page.GetByTestId("alerts-table")).ToContainTextAsync("Security");

        await page.Locator($"[data-accept-policy='{partner}']").ClickAsync();
        await Expect(page.GetByTestId("accepted-policy")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("flagged-policy")).ToHaveCountAsync(1);
        JsonElement audit = (await host.GetAsync($"/api/audit?operation=AccessPolicyAccepted&resource={Drift}")).GetProperty("value");
        JsonElement record = audit.EnumerateArray().Single();
        Assert.AreEqual($"accessPolicy:{partner}", record.GetProperty("secretName").GetString());
        Assert.AreEqual(SecurityTeamObjectId, record.GetProperty("principal").GetString(),
            "accepted under the signed-in member's name");

        await page.Locator($"[data-remove-policy='{intruder}']").ClickAsync();
        await Expect(page.GetByTestId("healthy")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("flagged-policy")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("accepted-policy")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("alerts-table")).Not.ToContainTextAsync("AccessPolicyNotGrantedByEdgeKv");
        VaultProperties vault = await host.Factory.GetVaultsClient().GetAsync(group, vaultName);
        Assert.IsFalse(vault.AccessPolicies.Any(p => p.ObjectId == intruder),
            "the page's remove took the entry off the vault");
        Assert.IsTrue(vault.AccessPolicies.Any(p => p.ObjectId == partner), "the accepted entry stays");
        JsonElement alerts = await host.GetAsync($"/api/alerts?resource={Drift}&state=Active");
        Assert.IsFalse(alerts.GetProperty("value").EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "AccessPolicyNotGrantedByEdgeKv"
            && a.GetProperty("state").GetString() == "Active"), alerts.ToString());
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task A_self_granted_data_plane_role_shows_as_a_security_alert_about_its_principal_and_the_security_team_resolves_it_from_the_page()
    {
        // The security team grants itself a data-plane role at ase-view: a Critical alert of the Security category.
        await host.SendJsonAsync("PUT", "/api/roleAssignments/browser-self-grant",
            new { principalId = SecurityTeamObjectId, role = "SecurityTeam", scope = $"/resources/{View}" },
            HttpStatusCode.OK);
        try
        {
            JsonElement alert = (await host.GetAsync($"/api/alerts?resource={View}&category=Security&state=Active")).GetProperty("value")
                .EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "SelfGrantedDataPlaneAccess");
            string id = alert.GetProperty("id").GetString()!;
            Assert.AreEqual(SecurityTeamObjectId, alert.GetProperty("principal").GetString());

            await using (DashboardPage auditor = await browser.SignInAsync("auditor"))
            {
                await auditor.GoAsync($"#/resources/{View}");
                await Expect(auditor.Page.GetByTestId("alerts-table")).ToContainTextAsync(SecurityTeamObjectId,
                    new() { Timeout = 90_000 });
                Assert.AreEqual(0, await auditor.Page.GetByTestId($"resolve-{id}").CountAsync(),
                    "an auditor sees the alert, not the control");
                auditor.AssertNoConsoleErrors();
            }

            await using DashboardPage d = await browser.SignInAsync("security-team");
            IPage page = d.Page;
            await d.GoAsync($"#/resources/{View}");
            await Expect(page.GetByTestId("alerts-table")).ToContainTextAsync("SelfGrantedDataPlaneAccess",
                new() { Timeout = 90_000 });
            await Expect(page.GetByTestId("alerts-table")).ToContainTextAsync("Security");
            await page.GetByTestId($"resolve-{id}").ClickAsync();
            await Expect(page.GetByTestId("alerts-table")).Not.ToContainTextAsync("SelfGrantedDataPlaneAccess",
                new() { Timeout = 60_000 });
            JsonElement after = (await host.GetAsync($"/api/alerts?resource={View}&category=Security")).GetProperty("value")
                .EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
            Assert.AreEqual("Resolved", after.GetProperty("state").GetString());
            d.AssertNoConsoleErrors();
        }
        finally
        {
            using HttpResponseMessage removed = await host.SendAsAsync("security-team", HttpMethod.Delete,
                "/api/roleAssignments/browser-self-grant");
        }
    }

    [TestMethod]
    public async Task Insights_plots_are_drawn_from_the_audit_records_and_their_totals_equal_the_APIs()
    {
        await using DashboardPage d = await browser.SignInAsync("auditor");
        IPage page = d.Page;
        IResponse response = await page.RunAndWaitForResponseAsync(() => d.GoAsync($"#/resources/{View}"),
            r => r.Url.Contains("/security/insights", StringComparison.Ordinal));
        JsonElement api = JsonDocument.Parse(await response.TextAsync()).RootElement;
        int total = api.GetProperty("total").GetInt32();
        Assert.IsTrue(total > 0, "activation and the device's pushes wrote vault audit records");
        await Expect(page.GetByTestId("insights-total")).ToHaveTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int perOperation = api.GetProperty("perOperation").EnumerateArray().Sum(o => o.GetProperty("count").GetInt32());
        Assert.AreEqual(total, perOperation, "the API's own totals agree");
        Assert.AreEqual(perOperation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.GetByTestId("insights-sum").InnerTextAsync());
        Assert.AreEqual(api.GetProperty("perOperation").GetArrayLength(),
            await page.Locator("[data-testid='insights-table'] tbody tr").CountAsync());
        Assert.AreEqual(4, await page.Locator("#insights canvas").CountAsync() - await page.Locator("[data-testid='platform-metrics'] canvas").CountAsync(),
            "over time by result and by operation, by operation and result, top callers");
        int[] perHour = [.. api.GetProperty("perHour").EnumerateArray().Select(h => h.GetProperty("count").GetInt32())];
        foreach ((string testId, string field) in new[] { ("insights-over-time-by-result", "result"),
            ("insights-over-time-by-operation", "operation") })
        {
            ILocator plot = page.Locator($"[data-testid='{testId}'] .chart");
            await Expect(plot).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("\\["));
            Dictionary<string, int[]> series = JsonDocument.Parse((await plot.GetAttributeAsync("data-points"))!).RootElement.EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Dictionary<string, int> expected = api.GetProperty("perOperation").EnumerateArray()
                .GroupBy(o => o.GetProperty(field).GetString()!).ToDictionary(g => g.Key,
                    g => g.Sum(o => o.GetProperty("count").GetInt32()));
            CollectionAssert.AreEquivalent(expected.Keys.ToArray(), series.Keys.ToArray(), $"one series per {field}");
            foreach ((string key, int count) in expected) Assert.AreEqual(count, series[key].Sum(),
                $"{testId}: {key} over all hours");
            CollectionAssert.AreEqual(perHour,
                Enumerable.Range(0, perHour.Length).Select(h => series.Values.Sum(v => v[h])).ToArray(),
                $"{testId}: each hour's stack is the API's count");
        }

        int later = (await host.GetAsync($"/api/resources/{View}/security/insights")).GetProperty("total").GetInt32();
        Assert.IsTrue(later >= total, "an independent read counts at least as many records");
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_security_page_shows_each_hardening_setting_as_the_API_reads_it_from_Azure()
    {
        await using DashboardPage d = await browser.SignInAsync("auditor");
        IPage page = d.Page;
        IResponse response = await page.RunAndWaitForResponseAsync(() => d.GoAsync($"#/resources/{View}"),
            r => r.Url.Contains("/security/diagnostics", StringComparison.Ordinal));
        JsonElement view = JsonDocument.Parse(await response.TextAsync()).RootElement;
        await Expect(page.GetByTestId("hardening")).ToBeVisibleAsync();

        // No allowed ranges are configured for this host: the vault answers every network, which the page flags.
        Assert.AreEqual(JsonValueKind.Null, view.GetProperty("vaultNetwork").ValueKind, view.ToString());
        await Expect(page.GetByTestId("vault-network")).ToHaveTextAsync("All networks");
        await Expect(page.GetByTestId("vault-network")).ToHaveAttributeAsync("data-secure", "false");

        // The audit account as activation hardened it, each value the API's.
        JsonElement audit = view.GetProperty("auditStorage");
        Assert.IsFalse(audit.GetProperty("allowSharedKeyAccess").GetBoolean(), audit.ToString());
        Assert.IsFalse(audit.GetProperty("allowBlobPublicAccess").GetBoolean(), audit.ToString());
        await Expect(page.GetByTestId("audit-storage")).ToHaveTextAsync(audit.GetProperty("name").GetString()!);
        await Expect(page.GetByTestId("audit-shared-key")).ToHaveTextAsync("Off");
        await Expect(page.GetByTestId("audit-public-access")).ToHaveTextAsync("Off");
        await Expect(page.GetByTestId("audit-tls")).ToHaveTextAsync(audit.GetProperty("minimumTlsVersion").GetString()!);
        int days = audit.GetProperty("immutabilityDays").GetInt32();
        Assert.IsTrue(days > 0, audit.ToString());
        await Expect(page.GetByTestId("audit-immutability")).ToContainTextAsync($"{days.ToString(System.Globalization.CultureInfo.InvariantCulture)} days");
        foreach (string secure in new[] { "audit-shared-key", "audit-public-access", "audit-tls",
            "audit-immutability" })
        {
            await Expect(page.GetByTestId(secure)).ToHaveAttributeAsync("data-secure", "true");
        }

        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task Insights_show_the_vaults_platform_metrics_with_the_APIs_numbers()
    {
        await using DashboardPage d = await browser.SignInAsync("auditor");
        IPage page = d.Page;
        IResponse response = await page.RunAndWaitForResponseAsync(() => d.GoAsync($"#/resources/{View}"),
            r => r.Url.Contains("/security/insights", StringComparison.Ordinal));
        JsonElement metrics = JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("metrics");
        Assert.AreEqual(JsonValueKind.Null, metrics.GetProperty("error").ValueKind, metrics.ToString());
        long hits = metrics.GetProperty("totalHits").GetInt64();
        Assert.IsTrue(hits > 0, "activation and the device's pushes read and wrote the vault's secrets");
        string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Value(string field) => metrics.GetProperty(field).ValueKind == JsonValueKind.Null ? "" : metrics.GetProperty(field).GetRawText();

        await Expect(page.GetByTestId("metrics-hits")).ToHaveTextAsync(Text(hits));
        Assert.AreEqual(Value("latencyAverageMs"),
            await page.GetByTestId("metrics-latency-avg").GetAttributeAsync("data-value"));
        Assert.AreEqual(Value("latencyMaxMs"),
            await page.GetByTestId("metrics-latency-max").GetAttributeAsync("data-value"));
        Assert.AreEqual(Value("availability"),
            await page.GetByTestId("metrics-availability").GetAttributeAsync("data-value"));
        foreach (JsonProperty statusClass in metrics.GetProperty("resultsByClass").EnumerateObject())
        {
            Assert.AreEqual(Text(statusClass.Value.GetInt64()),
                await page.GetByTestId($"metrics-results-{statusClass.Name}").InnerTextAsync());
        }

        JsonElement[] points = [.. metrics.GetProperty("points").EnumerateArray()];
        ILocator hitsPlot = page.Locator("[data-testid='metrics-hits-chart'] .chart");
        await Expect(hitsPlot).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("\\["));
        long[] plotted = [.. JsonDocument.Parse((await hitsPlot.GetAttributeAsync("data-points"))!).RootElement.GetProperty("hits").EnumerateArray().Select(v => v.GetInt64())];
        CollectionAssert.AreEqual(points.Select(p => p.GetProperty("hits").GetInt64()).ToArray(), plotted,
            "one bar per interval, the API's hits");
        ILocator resultsPlot = page.Locator("[data-testid='metrics-results-chart'] .chart");
        await Expect(resultsPlot).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("\\["));
        Dictionary<string, long> perClass = JsonDocument.Parse((await resultsPlot.GetAttributeAsync("data-points"))!).RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Sum(v => v.GetInt64()));
        CollectionAssert.AreEquivalent(metrics.GetProperty("resultsByClass").EnumerateObject().Select(p => (p.Name,
            p.Value.GetInt64())).ToArray(),
            perClass.Select(p => (p.Key, p.Value)).ToArray());
        await Expect(page.Locator("[data-testid='metrics-latency-chart'] .chart")).ToHaveAttributeAsync("data-points",
            new System.Text.RegularExpressions.Regex("average"));
        await Expect(page.Locator("[data-testid='metrics-availability-chart'] .chart")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("availability"));
        Assert.AreEqual(points.Count(p => p.GetProperty("hits").GetInt64() > 0),
            await page.Locator("[data-testid='metrics-table'] tbody tr").CountAsync());
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task The_overview_pages_through_a_thousand_resources_with_the_APIs_next_links_and_filters_them()
    {
        var expected = new List<string>();
        string? next = "/api/resources?top=1000";
        while (next is not null)
        {
            JsonElement pageJson = await host.GetAsync(next);
            expected.AddRange(pageJson.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()!));
            next = pageJson.GetProperty("nextLink").ValueKind == JsonValueKind.Null ? null : new Uri(pageJson.GetProperty("nextLink").GetString()!).PathAndQuery;
        }

        await using DashboardPage d = await browser.SignInAsync("auditor");
        IPage page = d.Page;
        var seen = new List<string>();
        for (int n = 1; ; n++)
        {
            await Expect(page.GetByTestId("page-info")).ToContainTextAsync($"Page {n} ");
            seen.AddRange(await page.Locator("[data-testid='resources'] a[data-resource]").AllInnerTextsAsync());
            if (await page.GetByTestId("next").IsDisabledAsync()) break;
            await page.GetByTestId("next").ClickAsync();
        }

        Assert.IsGreaterThanOrEqualTo(1000, seen.Count);
        CollectionAssert.AreEqual(expected, seen, "every resource once, in the API's order");

        await page.GetByTestId("prev").ClickAsync();
        await Expect(page.GetByTestId("page-info")).ToContainTextAsync($"Page {(seen.Count + 49) / 50 - 1} ");
        await page.Locator("#f-text").FillAsync("fleet-0999");
        await page.Locator("#f-text").PressAsync("Enter");
        await Expect(page.Locator("[data-testid='resources'] a[data-resource]")).ToHaveTextAsync(["fleet-0999"]);
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task An_instance_shows_its_status_custom_status_and_history_as_a_timeline_with_controls_for_allowed_roles()
    {
        await using DashboardPage d = await browser.SignInAsync("security-team");
        IPage page = d.Page;
        await d.GoAsync("#/orchestrations");
        await page.Locator("#o-prefix").FillAsync($"activation-{View}");
        await page.Locator("#o-prefix").PressAsync("Enter");
        await page.Locator($"[data-testid='instances'] a[href='#/orchestrations/activation-{View}']").ClickAsync();
        await Expect(page.GetByTestId("runtime-status")).ToHaveTextAsync("Completed");
        await Expect(page.GetByTestId("custom-status")).ToContainTextAsync("Step 9 of 9");
        Assert.IsGreaterThanOrEqualTo(12, await page.Locator("[data-testid='timeline'] .tl-row").CountAsync(),
            "started, nine steps of activities and more, completed");
        Assert.AreEqual(1, await page.Locator("button[data-action='restart']").CountAsync());
        Assert.AreEqual(1, await page.Locator("button[data-action='purge']").CountAsync());
        await d.ScreenshotAsync("dashboard-instance-timeline.png");
        d.AssertNoConsoleErrors();

        await using DashboardPage auditor = await browser.SignInAsync("auditor");
        await auditor.GoAsync($"#/orchestrations/activation-{View}");
        await Expect(auditor.Page.GetByTestId("runtime-status")).ToHaveTextAsync("Completed");
        Assert.AreEqual(0, await auditor.Page.Locator("button[data-action]").CountAsync(),
            "an auditor reads orchestrations only");
    }

    [TestMethod]
    public async Task An_operator_restarts_a_finished_instance_and_purges_it_from_its_page()
    {
        using (HttpResponseMessage started = await host.Http.PostAsync("/api/durabletask/orchestrators/HelloSequence/hello-ui",
            new StringContent("[\"Oslo\"]", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode);
        }

        await host.PollAsync("/api/durabletask/instances/hello-ui", TimeSpan.FromSeconds(60));
        await using DashboardPage d = await browser.SignInAsync("operator");
        IPage page = d.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await d.GoAsync("#/orchestrations/hello-ui");
        await Expect(page.GetByTestId("runtime-status")).ToHaveTextAsync("Completed");
        DateTimeOffset firstRun = (await host.GetAsync("/api/durabletask/instances/hello-ui")).GetProperty("createdTime").GetDateTimeOffset();

        await page.Locator("button[data-action='restart']").ClickAsync();
        JsonElement again;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            // It runs again under the same id: wait (bounded) for that run to finish.
            do
            {
                await Task.Delay(200, cts.Token);
                again = await host.PollAsync("/api/durabletask/instances/hello-ui", TimeSpan.FromSeconds(60));
            }
            while (again.GetProperty("createdTime").GetDateTimeOffset() <= firstRun);
        }

        Assert.AreEqual("Completed", again.GetProperty("runtimeStatus").GetString());
        await page.ReloadAsync();
        await Expect(page.GetByTestId("runtime-status")).ToHaveTextAsync("Completed");
        await page.Locator("button[data-action='purge']").ClickAsync();
        await Expect(page.GetByTestId("instances")).ToBeVisibleAsync();
        using HttpResponseMessage gone = await host.Http.GetAsync("/api/durabletask/instances/hello-ui");
        Assert.AreEqual(HttpStatusCode.NotFound, gone.StatusCode);
        d.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task At_phone_width_the_pages_fit_the_screen_and_the_keyboard_reaches_the_skip_link_first()
    {
        await using DashboardPage d = await browser.SignInAsync("security-team", width: 390, height: 844);
        IPage page = d.Page;
        foreach (string hash in new[] { "#/", $"#/resources/{View}", "#/orchestrations", "#/keys" })
        {
            await d.GoAsync(hash);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.IsLessThanOrEqualTo(0, overflow, $"{hash} scrolls sideways by {overflow} px");
        }

        await page.ReloadAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.AreEqual("Skip to content",
            await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        d.AssertNoConsoleErrors();
    }
}
