using EdgeKv.Local;
using System.Diagnostics;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Activities.Health;
using EdgeKv.Azure.Vaults;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using EdgeKv.Functions.Hosting;
using EdgeKv.Orchestrations;
using EdgeKv.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Bench.Sweep;

/// <summary>
/// The health sweep over N healthy managed resources against the in-process emulator (latency zero): seeds devices,
/// vaults (with the identity's Get and Set), locks, audit storage accounts, diagnostic settings and CIK secrets through
/// the typed clients, then times whole sweeps: the first (every resource's per-vault reads run) is reported on its own,
/// then the median of the next three (steady sweeps: fleet lists, and per-vault reads only where due) with pages of
/// 200, and the median of three more with pages of 1,000 (the host's default since steady pages make almost no calls).
/// </summary>
internal static class SweepBenchmark
{
    /// <param name="sharedStorage">
    /// A storage account's connection string (Azurite) for the several-hosts configuration: the durable hub on the
    /// Azure Storage provider and EdgeKv's stores in Tables; null for the embedded SQLite hub and stores.
    /// </param>
    public static async Task<SweepBenchmarkResult> RunAsync(int resources, string? sharedStorage = null)
    {
        string data = Path.Combine(Path.GetTempPath(), "edgekv-sweep-bench-" + Guid.NewGuid().ToString("N")[..8]);
        string kekPath = Path.Combine(data + "-kek", "key-encryption.key");
        if (sharedStorage is not null)
        {
            // Shared stores take the key-encryption key every host is given, not one a host generates for itself.
            Directory.CreateDirectory(Path.GetDirectoryName(kekPath)!);
            OwnerOnlyFiles.WriteAllBytes(kekPath, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        string[] shared = sharedStorage is null ? [] :
        [
            "--EdgeKv:TaskHub:StorageProvider", "AzureStorage", "--extensions:durableTask:hubName",
                "bench" + Guid.NewGuid().ToString("N")[..10],
            "--AzureWebJobsStorage", sharedStorage, "--EdgeKv:Store:Type", "AzureStorage",
            "--EdgeKv:Keys:KeyEncryptionKeyPath", kekPath,
        ];
        WebApplication app = EdgeKvApplication.Build([
            "--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data, "--EdgeKv:Azure:EmulatorPort", "0",
                "--EdgeKv:Azure:EmulatorIdentityPort", "0",
            "--EdgeKv:Azure:EmulatorLongRunningOperation", "00:00:00", "--EdgeKv:Azure:EmulatorRetryAfter", "00:00:00",
            "--Logging:LogLevel:Default", "Warning",
            // The timer's sweep out of the way: one at a quarter hour during seeding would run the first sweep's reads
            // itself.
            "--HealthSweepSchedule", "0 0 0 1 1 *",
            .. shared,
        ]);
        await app.StartAsync();
        try
        {
            AzureContext az = await app.Services.GetRequiredService<AzureContextProvider>().GetAsync();
            ResourceStore store = app.Services.GetRequiredService<ResourceStore>();
            // What holds descriptors open while seeding and sweeping (stderr, every 5 s): the process limit is the
            // ceiling of this benchmark's size.
            var census = FdCensus.Supported ? new FdCensus(az.Factory.ManagementEndpoint.Port,
                AzuritePorts(sharedStorage)) : null;
            using var watching = new CancellationTokenSource();
            Task watch = census?.WatchAsync(TimeSpan.FromSeconds(5), watching.Token) ?? Task.CompletedTask;
            var seed = Stopwatch.StartNew();
            try
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, resources),
                    new ParallelOptions { MaxDegreeOfParallelism = 32 },
                    async (i, ct) => await SeedAsync(az, store, i, ct));
            }
            catch (Exception) when (census is not null)
            {
                Console.Error.WriteLine($"  seeding failed after {seed.Elapsed.TotalSeconds:F0} s: {census.Take()}");
                throw;
            }

            seed.Stop();
            if (census is not null) Console.Error.WriteLine($"  seeded {resources:N0} in {seed.Elapsed.TotalSeconds:F1} s: {census.Take()}");

            DurableTaskClient client = EdgeKv.FunctionsHost.DurableClientBinding.GetClient(app.Services);
            var times = new List<(TimeSpan, SweepSummary)>();
            (TimeSpan Time, SweepSummary Summary)? first = null;
            // Where a sweep's time goes: its outgoing requests by destination (stderr, one line per sweep).
            HashSet<int> azurite = AzuritePorts(sharedStorage);
            int arm = az.Factory.ManagementEndpoint.Port;
            using var calls = new CallCount(port => azurite.Contains(port) ? "Azurite" : port == arm ? "emulator port (Resource Manager, sign-in)" : "vault ports");
            var largePages = new List<(TimeSpan, SweepSummary)>();
            for (int run = 0; run < 7; run++)
            {
                calls.TakeAndReset();
                // Pages of 200 (the earlier default), then of 1,000 (the default), 8 at once: a steady page makes few
                // calls, so fewer, larger pages cost less.
                int pageSize = run < 4 ? 200 : 1000;
                var sweep = Stopwatch.StartNew();
                await client.ScheduleNewOrchestrationInstanceAsync(HealthSweepOrchestrator.Name,
                    new SweepRequest(pageSize, 8, "bench"), new StartOrchestrationOptions($"bench-sweep-{run}"));
                OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync($"bench-sweep-{run}",
                    getInputsAndOutputs: true);
                sweep.Stop();
                SweepSummary summary = done.ReadOutputAs<SweepSummary>() ?? throw new InvalidOperationException($"Sweep {run} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
                Console.Error.WriteLine($"  sweep {run} (pages of {pageSize}): {sweep.Elapsed.TotalSeconds:F2} s; checked {summary.Checked:N0}, unchecked pages {summary.UncheckedPages?.Count ?? 0}, ARM reads {summary.ArmReads:N0}, data-plane reads {summary.DataPlaneReads:N0}, " +
                    $"per-vault reads due {summary.ReadsDue:N0}; requests seen by this process: {calls.TakeAndReset()}");
                if (run == 0) first = (sweep.Elapsed, summary);
                else if (run < 4) times.Add((sweep.Elapsed, summary));
                else largePages.Add((sweep.Elapsed, summary));
            }

            await watching.CancelAsync();
            await watch;
            if (census is not null) Console.Error.WriteLine($"  after the sweeps: {census.Take()}");
            var sorted = times.OrderBy(t => t.Item1).ToList();
            var median = sorted[sorted.Count / 2];
            long heap = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            return new SweepBenchmarkResult(sharedStorage is null ? "SQLite" : "shared (Azurite)", resources,
                seed.Elapsed, first!.Value.Time, first.Value.Summary.ArmReads,
                first.Value.Summary.DataPlaneReads, median.Item1, sorted[0].Item1, sorted[^1].Item1,
                median.Item2.ArmReads, median.Item2.DataPlaneReads, median.Item2.ReadsDue,
                median.Item2.Checked, median.Item2.ActiveFaults, heap, process.WorkingSet64,
                largePages.OrderBy(t => t.Item1).ToList()[largePages.Count / 2].Item1,
                largePages.OrderBy(t => t.Item1).ToList()[largePages.Count / 2].Item2.ArmReads);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
            try { if (Directory.Exists(data + "-kek")) Directory.Delete(data + "-kek", true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The blob, queue and table ports of an Azurite connection string (<c>...Endpoint=http://127.0.0.1:PORT/...</c>).
    /// </summary>
    private static HashSet<int> AzuritePorts(string? connectionString) =>
        connectionString is null ? [] :
        [.. connectionString.Split(';').Select(p => p.Split('=',
            2)).Where(kv => kv.Length == 2 && kv[0].EndsWith("Endpoint", StringComparison.Ordinal))
            .Select(kv => new Uri(kv[1]).Port)];

    private static async Task SeedAsync(AzureContext az, ResourceStore store, int i, CancellationToken ct)
    {
        string name = $"bench{i:D5}", vaultName = $"bkv{i:D5}", account = $"bsa{i:D5}x";
        var device = await az.Factory.GetEdgeDevicesClient().CreateAsync(az.ResourceGroup, name, az.Location, null, ct);
        VaultProperties vault = await az.Factory.GetVaultsClient().CreateOrUpdateAsync(az.ResourceGroup, vaultName,
            new VaultDefinition(az.Location, az.TenantId,
            [new VaultAccessPolicy(az.TenantId, az.ServiceObjectId.ToString(), ["get", "list", "set"]),
                new VaultAccessPolicy(az.TenantId, device.PrincipalId!.Value.ToString(), ["get", "set"])],
            EnablePurgeProtection: true), ct);
        await az.Factory.GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "edgekv-vault-lock", "CanNotDelete",
            null, ct);
        // Started, then read back as the activation does (EdgeKv's identity holds group roles only: the operation's
        // status lives at the subscription); the emulator's long-running operations are instant here.
        var accounts = az.Factory.GetStorageAccountsClient();
        await accounts.StartCreateAsync(az.ResourceGroup, account, az.Location, "Standard_ZRS", null, ct);
        var storage = await accounts.GetAsync(az.ResourceGroup, account, ct);
        if (!string.Equals(storage.ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage account {account} is {storage.ProvisioningState} right after its creation started; the bench sets the emulator's long-running operations to zero.");
        }

        await az.Factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vault.Id, "edgekv-audit", storage.Id,
            ["AuditEvent"], null, ct);
        SecretClient secrets = az.CreateServiceSecretClient(vault.VaultUri!);
        KeyVaultSecret cik = (await secrets.SetSecretAsync("ChannelIntegrityKey",
            Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct)).Value;
        await store.TryAddAsync(new ResourceRecord
        {
            Name = name, ResourceId = device.Id, ResourceGroup = az.ResourceGroup, Location = az.Location,
                PrincipalId = device.PrincipalId, TenantId = device.TenantId,
            VaultName = vault.Name, VaultId = vault.Id, VaultUri = vault.VaultUri!.ToString(), CikSecretName = cik.Name,
            CikSecretVersion = cik.Properties.Version,
            AuditStorageAccountId = storage.Id, ActivationState = ActivationState.KeyIssued,
        }, ct);
    }
}
