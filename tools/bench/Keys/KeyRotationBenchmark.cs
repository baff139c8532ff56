using EdgeKv.Local;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeKv.Activities;
using EdgeKv.Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;
using EdgeKv.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Bench.Keys;

/// <summary>
/// Rotating one key distributed to N Azure Key Vaults, against the in-process emulator (latency zero). Untimed setup,
/// as an operator and a security team would do it: the operator (the emulator's subscription Contributor) makes N
/// vaults in EdgeKv's group granting EdgeKv's identity key access; the security team, through EdgeKv's API, creates the
/// key, registers a KMS provider per vault and distributes the key to each (EdgeKv's distribution flow); every vault is
/// then checked. Timed: <c>POST /api/keys/{name}/rotate</c> (the route and flow an operator or the rotation timer uses)
/// until the flow completes, i.e. every vault holds the new version as current; a warm-up rotation, then <paramref
/// name="runs"/> more. After each, the emulator's request log gives the Azure calls by kind, and every vault is checked
/// again.
/// </summary>
internal static class KeyRotationBenchmark
{
    private const string KeyName = "bench-rotated-key";
    private static readonly string[] KeyPermissions = ["get", "list", "create", "import", "update", "delete",
        "recover"];
    private static readonly string[] Purpose = ["encrypt", "decrypt"];

    /// <param name="profile">Also samples one more rotation with <see cref="SamplingProfiler"/> and prints where its
    /// CPU went.</param>
    public static async Task<KeyRotationResult> RunAsync(int vaults, string protection, bool profile = false,
        int runs = 3)
    {
        string data = Path.Combine(Path.GetTempPath(), "edgekv-rotate-bench-" + Guid.NewGuid().ToString("N")[..8]);
        string adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        WebApplication app = EdgeKvApplication.Build([
            "--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data, "--EdgeKv:Azure:EmulatorPort", "0",
                "--EdgeKv:Azure:EmulatorIdentityPort", "0",
            "--EdgeKv:Azure:EmulatorLongRunningOperation", "00:00:00", "--EdgeKv:Azure:EmulatorRetryAfter", "00:00:00",
            "--EdgeKv:Azure:EmulatorAdminKey", adminKey,
            "--Logging:LogLevel:Default", "Warning",
            // The sweep timer (every 15 minutes; it also checks every distributed key) would add its calls to a timed
            // run: once a year instead.
            "--HealthSweepSchedule", "0 0 0 1 1 *",
        ]);
        await app.StartAsync();
        try
        {
            AzureContext az = await app.Services.GetRequiredService<AzureContextProvider>().GetAsync();
            EdgeKvAzureOptions o = az.Factory.Options;
            using var admin = new EmulatorAdminClient(o.EmulatorEndpoint!, adminKey, o.EmulatorCertificateThumbprint!);
            EmulatorPrincipal contributor = EmulatorPrincipals.CreateDefaults().First(p => p.Name == EmulatorPrincipals.Contributor);
            using var operatorClients = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
            {
                Mode = AzureMode.Emulator, SubscriptionId = o.SubscriptionId, TenantId = o.TenantId,
                    EmulatorEndpoint = o.EmulatorEndpoint,
                EmulatorCertificateThumbprint = o.EmulatorCertificateThumbprint,
                ClientId = contributor.ClientId.ToString(), ClientSecret = contributor.ClientSecret, MaxRetries = 3,
            });
            using var api = new HttpClient { BaseAddress = new Uri(app.Urls.First()),
                Timeout = TimeSpan.FromMinutes(10) };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv"));
            DurableTaskClient durable = EdgeKv.FunctionsHost.DurableClientBinding.GetClient(app.Services);

            var setup = Stopwatch.StartNew();
            string[] names = [.. Enumerable.Range(0, vaults).Select(i => $"rot-vault-{i:D4}")];
            VaultsClient operatorVaults = operatorClients.GetVaultsClient();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16 };
            await Parallel.ForEachAsync(names, parallel,
                async (name, ct) => await operatorVaults.CreateOrUpdateAsync(az.ResourceGroup, name,
                    new VaultDefinition(az.Location, az.TenantId,
                [new VaultAccessPolicy(az.TenantId, az.ServiceObjectId.ToString(), [], KeyPermissions)],
                SkuName: protection == "hsm" ? "premium" : "standard"), ct));
            await SendAsync(api, HttpMethod.Put, $"/api/keys/{KeyName}", new { type = "rsa-2048" },
                HttpStatusCode.Created);
            await Parallel.ForEachAsync(names, parallel, async (name, ct) =>
            {
                string kms = Provider(name);
                await SendAsync(api, HttpMethod.Put, $"/api/kms/{kms}",
                    new { provider = "azurekeyvault", keyCollection = name }, HttpStatusCode.Created, ct);
                JsonElement started = await SendAsync(api, HttpMethod.Put, $"/api/kms/{kms}/keys/{KeyName}",
                    new { purpose = Purpose, protection }, HttpStatusCode.Accepted, ct);
                await CompleteAsync(durable, started, ct);
            });
            Dictionary<string, Uri> uris = (await operatorVaults.ListAsync(az.ResourceGroup)).Where(v => names.Contains(v.Name)).ToDictionary(v => v.Name, v => v.VaultUri!);
            await CheckVaultsAsync(az, uris, 1);
            setup.Stop();

            KeyRotationRun? warmUp = null;
            var timed = new List<KeyRotationRun>();
            string loadBefore = LoadAverage();
            for (int run = 0; run <= runs; run++)
            {
                int version = run + 2;
                await admin.ClearRequestsAsync();
                using var process = Process.GetCurrentProcess();
                TimeSpan cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                JsonElement started = await SendAsync(api, HttpMethod.Post, $"/api/keys/{KeyName}/rotate", null,
                    HttpStatusCode.Accepted);
                await CompleteAsync(durable, started, CancellationToken.None);
                clock.Stop();
                process.Refresh();
                cpu = process.TotalProcessorTime - cpu;
                IReadOnlyList<RequestLogEntry> served = await admin.GetRequestsAsync();
                var calls = served.GroupBy(AzureCallKind.Of).ToDictionary(g => g.Key, g => g.Count());
                await CheckVaultsAsync(az, uris, version);
                var result = new KeyRotationRun(version, clock.Elapsed, cpu, calls);
                if (run == 0) warmUp = result;
                else timed.Add(result);
            }

            string loadAfter = LoadAverage();
            if (profile)
            {
                Console.WriteLine(await SamplingProfiler.ProfileAsync(async () =>
                    await CompleteAsync(durable,
                        await SendAsync(api, HttpMethod.Post, $"/api/keys/{KeyName}/rotate", null,
                            HttpStatusCode.Accepted), CancellationToken.None)));
            }

            return new KeyRotationResult(vaults, protection, setup.Elapsed, warmUp!, timed, loadBefore, loadAfter);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The machine's load averages (1, 5, 15 minutes): figures of a loaded run are not comparable with an idle one.
    /// </summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" / ",
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Provider(string vault) => "kms-" + vault;

    /// <summary>
    /// Every vault holds the key with <paramref name="version"/> current (by EdgeKv's version tag) and every older
    /// version listed.
    /// </summary>
    private static async Task CheckVaultsAsync(AzureContext az, Dictionary<string, Uri> uris, int version)
    {
        string tag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Parallel.ForEachAsync(uris, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (vault, ct) =>
        {
            KeysClient keys = az.Factory.CreateKeysClient(vault.Value);
            KeyVaultKey current = await keys.GetKeyAsync(KeyName, cancellationToken: ct);
            IReadOnlyList<KeyProperties> versions = await keys.GetPropertiesOfKeyVersionsAsync(KeyName, ct);
            if (!current.Properties.Tags.TryGetValue("edgekv-version",
                out string? held) || held != tag || versions.Count != version)
            {
                throw new InvalidOperationException($"Vault {vault.Key}: current version {held ?? "untagged"}, {versions.Count} version(s); expected {version} current and {version} listed.");
            }
        });
    }

    private static async Task CompleteAsync(DurableTaskClient durable, JsonElement started, CancellationToken ct)
    {
        string id = started.GetProperty("id").GetString()!;
        OrchestrationMetadata done = await durable.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, ct);
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"{id} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        }
    }

    private static async Task<JsonElement> SendAsync(HttpClient api, HttpMethod method, string path, object? body,
        HttpStatusCode expected, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method,
            path) { Content = body is null ? null : JsonContent.Create(body) };
        using HttpResponseMessage response = await api.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
