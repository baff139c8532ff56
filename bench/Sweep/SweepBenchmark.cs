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
/// the typed clients, then times whole sweeps (the first warms up; the median of the next three is reported).
/// </summary>
internal static class SweepBenchmark
{
    /// <param name="sharedStorage">
    /// A storage account's connection string (Azurite) for the several-hosts configuration: the durable hub on the Azure
    /// Storage provider and EdgeKv's stores in Tables; null for the embedded SQLite hub and stores.
    /// </param>
    public static async Task<SweepBenchmarkResult> RunAsync(int resources, string? sharedStorage = null)
    {
        string data = Path.Combine(Path.GetTempPath(), "edgekv-sweep-bench-" + Guid.NewGuid().ToString("N")[..8]);
        string[] shared = sharedStorage is null ? [] :
        [
            "--extensions:durableTask:storageProvider:type", "AzureStorage", "--extensions:durableTask:hubName", "bench" + Guid.NewGuid().ToString("N")[..10],
            "--AzureWebJobsStorage", sharedStorage, "--EdgeKv:Store:Type", "AzureStorage",
        ];
        WebApplication app = EdgeKvApplication.Build([
            "--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data, "--EdgeKv:Azure:EmulatorPort", "0", "--EdgeKv:Azure:EmulatorIdentityPort", "0",
            "--EdgeKv:Azure:EmulatorLongRunningOperation", "00:00:00", "--EdgeKv:Azure:EmulatorRetryAfter", "00:00:00", "--Logging:LogLevel:Default", "Warning",
            .. shared,
        ]);
        await app.StartAsync();
        try
        {
            AzureContext az = await app.Services.GetRequiredService<AzureContextProvider>().GetAsync();
            ResourceStore store = app.Services.GetRequiredService<ResourceStore>();
            var seed = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, resources), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) => await SeedAsync(az, store, i, ct));
            seed.Stop();

            DurableTaskClient client = app.Services.GetRequiredService<DurableTaskClient>();
            var times = new List<(TimeSpan, SweepSummary)>();
            for (int run = 0; run < 4; run++)
            {
                var sweep = Stopwatch.StartNew();
                await client.ScheduleNewOrchestrationInstanceAsync(HealthSweepOrchestrator.Name, new SweepRequest(200, 8, "bench"), new StartOrchestrationOptions($"bench-sweep-{run}"));
                OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync($"bench-sweep-{run}", getInputsAndOutputs: true);
                sweep.Stop();
                SweepSummary summary = done.ReadOutputAs<SweepSummary>() ?? throw new InvalidOperationException($"Sweep {run} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
                if (run > 0) times.Add((sweep.Elapsed, summary));
            }

            var sorted = times.OrderBy(t => t.Item1).ToList();
            var median = sorted[sorted.Count / 2];
            long heap = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            return new SweepBenchmarkResult(resources, seed.Elapsed, median.Item1, sorted[0].Item1, sorted[^1].Item1, median.Item2.Checked, median.Item2.ActiveFaults,
                heap, process.WorkingSet64);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    private static async Task SeedAsync(AzureContext az, ResourceStore store, int i, CancellationToken ct)
    {
        string name = $"bench{i:D5}", vaultName = $"bkv{i:D5}", account = $"bsa{i:D5}x";
        var device = await az.Factory.GetEdgeDevicesClient().CreateAsync(az.ResourceGroup, name, az.Location, null, ct);
        VaultProperties vault = await az.Factory.GetVaultsClient().CreateOrUpdateAsync(az.ResourceGroup, vaultName, new VaultDefinition(az.Location, az.TenantId,
            [new VaultAccessPolicy(az.TenantId, az.ServiceObjectId.ToString(), ["get", "list", "set"]), new VaultAccessPolicy(az.TenantId, device.PrincipalId!.Value.ToString(), ["get", "set"])],
            EnablePurgeProtection: true), ct);
        await az.Factory.GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "edgekv-vault-lock", "CanNotDelete", null, ct);
        var storage = await az.Factory.GetStorageAccountsClient().CreateAsync(az.ResourceGroup, account, az.Location, "Standard_ZRS", null, ct);
        await az.Factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vault.Id, "edgekv-audit", storage.Id, ["AuditEvent"], null, ct);
        SecretClient secrets = az.CreateServiceSecretClient(vault.VaultUri!);
        KeyVaultSecret cik = (await secrets.SetSecretAsync("ChannelIntegrityKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), ct)).Value;
        await store.TryAddAsync(new ResourceRecord
        {
            Name = name, ResourceId = device.Id, ResourceGroup = az.ResourceGroup, Location = az.Location, PrincipalId = device.PrincipalId, TenantId = device.TenantId,
            VaultName = vault.Name, VaultId = vault.Id, VaultUri = vault.VaultUri!.ToString(), CikSecretName = cik.Name, CikSecretVersion = cik.Properties.Version,
            AuditStorageAccountId = storage.Id, ActivationState = ActivationState.KeyIssued,
        }, ct);
    }
}
