using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator;
using EdgeKv.Tests.Support;
using EdgeKv.Local.Emulator;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The crash run: many activations started at once while the host is killed hard again and again and restarted on the
/// same data. Every activation must complete, with exactly one of everything in Azure, and a sweep afterwards must find
/// nothing to alert. Long (minutes), so it runs only when asked: <c>EDGEKV_SOAK_ACTIVATIONS=200 EDGEKV_SOAK_KILLS=20
/// dotnet test tests/EdgeKv.EndToEnd.Tests -c Release --filter CrashSoak</c>; the figures are printed and written to
/// <c>crash-soak.txt</c> in the test's output folder.
/// </summary>
[TestClass]
public sealed class CrashSoakTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(3_600_000, CooperativeCancellation = true)]
    public async Task Activations_survive_repeated_hard_kills_with_one_of_everything_and_no_false_alert()
    {
        int activations = int.TryParse(Environment.GetEnvironmentVariable("EDGEKV_SOAK_ACTIVATIONS"),
            out int a) ? a : 0;
        int kills = int.TryParse(Environment.GetEnvironmentVariable("EDGEKV_SOAK_KILLS"), out int k) ? k : 0;
        if (activations <= 0) Assert.Inconclusive("The crash soak runs when EDGEKV_SOAK_ACTIVATIONS (and EDGEKV_SOAK_KILLS) are set.");

        using var emulatorData = new TempDirectory("soak-emulator");
        using var hostData = new TempDirectory("soak-host");
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            DataFolder = emulatorData.Path,
            LongRunningOperationDuration = TimeSpan.FromSeconds(2),
            RetryAfter = TimeSpan.Zero,
        }.WithTemplateRoles(ProvisionedState.ResourceGroup));
        string[] args =
        [
            .. HostProcess.AgainstEmulator(emulator, hostData.Path),
            "--Logging:LogLevel:Default", "Warning",
        ];
        string token = await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv");
        string[] names = [.. Enumerable.Range(1, activations).Select(i => $"ase-soak{i:D4}")];
        var random = new Random(12);
        var clock = Stopwatch.StartNew();

        HostProcess host = await HostProcess.StartAsync(hostData.Path, args);
        int port = host.BaseAddress.Port;
        try
        {
            using (var api = new EdgeKvApi(host.BaseAddress).UseToken(token))
            {
                foreach (string name in names) await api.CreateResourceAsync(name);
                await Task.WhenAll(names.Select(async name =>
                {
                    using HttpResponseMessage started = await api.StartActivationAsync(name);
                    Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
                        await started.Content.ReadAsStringAsync());
                }));
            }

            for (int kill = 0; kill < kills; kill++)
            {
                DateTimeOffset moment = DateTimeOffset.UtcNow.AddMilliseconds(random.Next(1500, 4000));
                await CrashHarness.KillWhenAsync(host.KillAsync, _ => Task.FromResult(DateTimeOffset.UtcNow >= moment),
                    $"Kill {kill + 1}");
                await host.DisposeAsync();
                host = await HostProcess.StartOnPortAsync(port, hostData.Path, args);
            }

            using var final = new EdgeKvApi(host.BaseAddress).UseToken(token);
            var durations = new List<TimeSpan>();
            var statuses = new Dictionary<string, int>();
            foreach (string name in names)
            {
                JsonElement status = await final.PollAsync($"/api/durabletask/instances/activation-{name}",
                    TimeSpan.FromMinutes(10));
                string runtime = status.GetProperty("runtimeStatus").GetString()!;
                statuses[runtime] = statuses.GetValueOrDefault(runtime) + 1;
                durations.Add(status.GetProperty("lastUpdatedTime").GetDateTimeOffset() - status.GetProperty("createdTime").GetDateTimeOffset());
            }

            var factory = Clients.For(emulator);
            var subscriptionWide = Clients.For(emulator,
                EmulatorPrincipals.Contributor); // EdgeKv holds roles on its group only: count the whole subscription as a Contributor
            int duplicated = 0;
            foreach (string name in names)
            {
                JsonElement resource = await final.ResourceAsync(name);
                try
                {
                    await ProvisionedState.AssertActivatedAsync(factory, name,
                        resource.GetProperty("vault").GetProperty("name").GetString()!);
                }
                catch (AssertFailedException ex)
                {
                    duplicated++;
                    TestContext.WriteLine($"{name}: {ex.Message}");
                }
            }

            int vaults = (await subscriptionWide.GetVaultsClient().ListAsync()).Count;
            JsonElement sweep = await final.SweepAsync();
            int alerts = (await final.AlertsAsync("?state=Active&top=1000")).Count;
            durations.Sort();
            string figures = $"""
                crash soak: {activations} activations, {kills} hard kills (SIGKILL, restart on the same data), {clock.Elapsed.TotalSeconds:F0} s in all
                completed: {statuses.GetValueOrDefault("Completed")}, other: {string.Join(", ", statuses.Where(s => s.Key != "Completed").Select(s => $"{s.Key} {s.Value}"))}
                resources with anything duplicated or missing: {duplicated}; vaults in the subscription: {vaults}
                sweep afterwards: checked {sweep.GetProperty("checked").GetInt32()}, faults {sweep.GetProperty("activeFaults").GetInt32()}; active alerts: {alerts}
                activation time (created to completed): median {durations[durations.Count / 2].TotalSeconds:F1} s, worst {durations[^1].TotalSeconds:F1} s
                """;
            TestContext.WriteLine(figures);
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "crash-soak.txt"), figures);

            Assert.AreEqual(activations, statuses.GetValueOrDefault("Completed"), figures);
            Assert.AreEqual(0, duplicated, figures);
            Assert.AreEqual(activations, vaults, figures);
            Assert.AreEqual(0, alerts, figures);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
