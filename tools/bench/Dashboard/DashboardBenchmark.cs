using EdgeKv.Local;
using EdgeKv.Functions.Hosting;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EdgeKv.Bench.Dashboard;

/// <summary>
/// The fleet overview's load time in a real browser (Debian's Chromium through Playwright) over N resource records, 1 %
/// of them with an active alert. Each run is a fresh page load of <c>/#/</c>, timed inside the page with
/// <c>performance.now()</c> from the navigation's start: until the resource table and the severity counts are shown,
/// and until the network is idle (the last sweep and the alert chart drawn too). The first run warms up; the median of
/// the next five is reported.
/// </summary>
internal static class DashboardBenchmark
{
    public static async Task<(double Shown, double Idle, double Fastest, double Slowest)> RunAsync(int resources)
    {
        string data = Path.Combine(Path.GetTempPath(), "edgekv-dashboard-bench-" + Guid.NewGuid().ToString("N")[..8]);
        WebApplication app = EdgeKvApplication.Build([
            "--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data, "--EdgeKv:Azure:EmulatorPort", "0",
                "--EdgeKv:Azure:EmulatorIdentityPort", "0",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        try
        {
            ResourceStore store = app.Services.GetRequiredService<ResourceStore>();
            AlertStore alerts = app.Services.GetRequiredService<AlertStore>();
            await Parallel.ForEachAsync(Enumerable.Range(0, resources),
                new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                string name = $"bench{i:D5}";
                await store.TryAddAsync(new ResourceRecord
                {
                    Name = name, ResourceId = $"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/edgekv-local/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{name}",
                    ResourceGroup = "edgekv-local", Location = "westus2",
                }, ct);
                if (i % 100 == 0) await alerts.RaiseAsync(new AlertObservation(name, AlertKind.VaultLockMissing,
                    "bench: no delete lock"), ct);
            });

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("EDGEKV_CHROMIUM") ?? "/usr/bin/chromium",
                    Headless = true,
            });
            await using IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = app.Urls.First(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            IPage page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await page.Locator("button[data-principal='auditor']").ClickAsync();
            await page.GetByTestId("who").WaitForAsync();

            var shown = new List<double>();
            var idle = new List<double>();
            for (int run = 0; run < 6; run++)
            {
                await page.GotoAsync("/#/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Commit });
                await page.WaitForFunctionAsync("() => document.querySelector(\"[data-testid='resources'] a[data-resource]\") && document.querySelector(\"[data-testid='count-Critical']\")",
                    null, new PageWaitForFunctionOptions { PollingInterval = 5 });
                double atShown = await page.EvaluateAsync<double>("() => performance.now()");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                double atIdle = await page.EvaluateAsync<double>("() => performance.getEntriesByType('resource').reduce((m, e) => Math.max(m, e.responseEnd), 0)");
                if (run == 0) continue;
                shown.Add(atShown);
                idle.Add(Math.Max(atIdle, atShown));
            }

            shown.Sort();
            idle.Sort();
            return (shown[shown.Count / 2], idle[idle.Count / 2], shown[0], shown[^1]);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }
}
