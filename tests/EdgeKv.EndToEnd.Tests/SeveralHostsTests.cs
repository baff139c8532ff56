using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Three host processes, each with its own data path and so its own worker id, sharing one storage account (Azurite)
/// for both the durable hub (Azure Storage provider) and EdgeKv's own stores (<c>EdgeKv:Store:Type=AzureStorage</c>),
/// as several instances of the Functions app share its account in Azure. The hub's partitions spread over the three
/// hosts (read from the provider's <c>{hub}Partitions</c> table); thirty activations run while one host is killed with
/// SIGKILL; its partitions move to the two live hosts and its flows resume there (the time each took is printed as a
/// FIGURES line, docs/several-hosts.md); restarted on the same data path it is the same worker and gets partitions
/// back. Then a vault deletion reported to two hosts at once and healed, racing key fetches, credential rotations and
/// sweeps: every flow completes once, nothing is lost or doubled, the audit chain verifies, and no host logs a split
/// brain. It starts four processes beside Azurite and the emulator, so it runs when asked: <c>EDGEKV_SEVERAL_HOSTS=30
/// dotnet test tests/EdgeKv.EndToEnd.Tests -c Release --filter SeveralHosts</c> (the number of activations;
/// <c>EDGEKV_SEVERAL_HOSTS_LEASES=default</c> runs the hosts on the default leases, <c>EDGEKV_SEVERAL_HOSTS_TRACE=1</c>
/// logs the provider's partition and message events and keeps each host's output beside the results).
/// </summary>
[TestClass]
public sealed class SeveralHostsTests
{
    private static readonly string[] Terminal = ["Completed", "Failed", "Terminated", "Canceled"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task Three_hosts_on_one_storage_account_complete_every_flow_once_through_a_hard_kill()
    {
        int activations = int.TryParse(Environment.GetEnvironmentVariable("EDGEKV_SEVERAL_HOSTS"), out int n) ? n : 0;
        if (activations < 4) Assert.Inconclusive("The several-hosts run starts when EDGEKV_SEVERAL_HOSTS is set to the number of activations (4 or more; 30 in the issue).");
        using AzuriteProcess azurite = await RequiredAzurite.StartAsync();
        using var emulatorData = new TempDirectory("hosts-emulator");
        using var deviceData = new TempDirectory("hosts-device");
        TempDirectory[] hostData = [new("hosts-a"), new("hosts-b"), new("hosts-c")];
        using var sharedKek = new TempDirectory("hosts-kek");
        string kekPath = Path.Combine(sharedKek.Path, "key-encryption.key");
        EdgeKv.Records.OwnerOnlyFiles.WriteAllBytes(kekPath,
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)); // every host is given the same key-encryption key
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            DataFolder = emulatorData.Path,
            LongRunningOperationDuration = TimeSpan.FromSeconds(2),
            RetryAfter = TimeSpan.Zero,
        });
        string hub = "hosts" + Guid.NewGuid().ToString("N")[..10];
        var hubState = new SharedTaskHubState(azurite.ConnectionString, hub);
        // Shorter leases and visibility than the defaults, so a dead host's flows resume within about 20 s (max(L + R,
        // C, W) + P). Not shorter: on a saturated machine a 10 s control queue visibility or a 2 s renewal let a
        // partition handed between live hosts run on both ("Split brain detected"). EDGEKV_SEVERAL_HOSTS_LEASES=default
        // runs the hosts on the defaults instead, to measure what an operator gets without tuning.
        bool defaultLeases = Environment.GetEnvironmentVariable("EDGEKV_SEVERAL_HOSTS_LEASES") == "default";
        bool trace = Environment.GetEnvironmentVariable("EDGEKV_SEVERAL_HOSTS_TRACE") == "1";
        string[] leases = defaultLeases ? [] :
        [
            "--EdgeKv:TaskHub:PartitionLeaseInterval", "00:00:15",
            "--EdgeKv:TaskHub:PartitionLeaseRenewInterval", "00:00:03",
            "--EdgeKv:TaskHub:ControlQueueVisibilityTimeout", "00:00:20",
            "--EdgeKv:TaskHub:WorkItemLease", "00:00:10",
        ];
        string[] Args(int host) =>
        [
            .. HostProcess.AgainstEmulator(emulator, hostData[host].Path),
            "--EdgeKv:TaskHub:StorageProvider", "AzureStorage",
            "--extensions:durableTask:hubName", hub,
            .. leases,
            "--AzureWebJobsStorage", azurite.ConnectionString,
            "--EdgeKv:Store:Type", "AzureStorage",
            "--EdgeKv:Keys:KeyEncryptionKeyPath", kekPath,
            "--EdgeKv:Webhooks:EventGridKey", HealthFlows.EventGridKey,
            "--Logging:LogLevel:Default", "Warning",
            .. (trace ? ["--Logging:LogLevel:DurableTask.AzureStorage", "Information"] : Array.Empty<string>()),
        ];

        var hosts = new HostProcess[3];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => TestContext.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1} s, {DateTime.UtcNow:HH:mm:ss.fff}] {what}");
        string killedOutput = "";
        bool passed = false;
        try
        {
            // The three hosts start together, each with its own data path and so its own worker id.
            Task<HostProcess>[] starting = [.. Enumerable.Range(0,
                3).Select(i => HostProcess.StartAsync(hostData[i].Path, Args(i)))];
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                for (int i = 0; i < 3; i++) hosts[i] = starting[i].IsCompletedSuccessfully ? starting[i].Result : null!;
            }

            Phase("three hosts up");
            IReadOnlyList<SharedTaskHubState.Partition> spread = await WaitForPartitionsAsync(hubState,
                p => Owners(p).Count == 3, "spread over the three hosts");
            string[] workers = [.. Owners(spread)];
            Phase($"partitions spread: {Describe(spread)}");

            string token = await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv");
            EdgeKvApi[] apis = [.. hosts.Select(h => new EdgeKvApi(h.BaseAddress).UseToken(token))];
            string[] names = [.. Enumerable.Range(1, activations).Select(i => $"ase-mh{i:D2}")];

            // Thirty activations, created and started round-robin on the three hosts (the hosts asked at once).
            await Task.WhenAll(Enumerable.Range(0, 3).Select(async h =>
            {
                for (int i = h; i < names.Length; i += 3)
                {
                    await apis[h].CreateResourceAsync(names[i]);
                    using HttpResponseMessage started = await apis[h].StartActivationAsync(names[i]);
                    Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode,
                        await started.Content.ReadAsStringAsync());
                }
            }));
            var fetchTokens = names.Select((name, i) => (name,
                token: apis[i % 3].FetchTokens[name])).ToDictionary(p => p.name, p => p.token);
            Phase($"{activations} activations started");

            // Kill host C hard while activations are under way, and keep it down until its partitions have moved.
            await CrashHarness.WaitUntilAsync(async ct =>
                (await emulator.Admin.GetRequestsAsync(method: "PUT", pathContains: "/storageAccounts/", status: 202,
                    cancellationToken: ct)).Count >= Math.Max(1, activations / 6),
                "A sixth of the storage accounts' creations");

            IReadOnlyList<SharedTaskHubState.Partition> beforeKill = await WaitForPartitionsAsync(hubState,
                p => Owners(p).Count == 3, "held by all three hosts before the kill");
            int port = hosts[2].BaseAddress.Port;
            await hosts[2].KillAsync();
            DateTimeOffset killedAt = DateTimeOffset.UtcNow;
            killedOutput = hosts[2].Output;
            await hosts[2].DisposeAsync();
            hosts[2] = null!;
            Phase($"host C killed; partitions were {Describe(beforeKill)}");

            // The dead host's partitions go to the two live hosts once their leases lapse; the dead host's id is the
            // one that leaves the table.
            IReadOnlyList<SharedTaskHubState.Partition> moved = await WaitForPartitionsAsync(hubState,
                p => Owners(p).Count == 2, "moved to the two live hosts");
            TimeSpan partitionsMovedAfter = DateTimeOffset.UtcNow - killedAt;
            string dead = workers.Except(Owners(moved)).Single();
            string[] deadPartitions = [.. beforeKill.Where(p => p.Owner == dead).Select(p => p.Name)];
            Assert.IsNotEmpty(deadPartitions, $"host C held a partition before the kill: {Describe(beforeKill)}");
            Phase($"partitions moved after {partitionsMovedAfter.TotalSeconds:F1} s: {Describe(moved)}");

            // Every flow of the dead host's partitions that was under way resumes (its history moves on) on a live
            // host.
            FlowRecovery recovery = await MeasureRecoveryAsync(hubState, killedAt, deadPartitions, beforeKill.Count);
            TestContext.WriteLine($"FIGURES leases={(defaultLeases ? "default" : "short")} activations={activations} dead host partitions={deadPartitions.Length}/{beforeKill.Count} "
                + $"partitions moved after {partitionsMovedAfter.TotalSeconds:F1} s; {recovery}");
            TestContext.WriteLine("resumed after: " + string.Join(", ",
                recovery.ResumedBy.OrderBy(p => p.Value).Select(p => $"{p.Key} {p.Value:F1} s")));

            foreach (string name in names)
            {
                JsonElement status;
                try
                {
                    status = await apis[0].PollAsync($"/api/durabletask/instances/activation-{name}",
                        TimeSpan.FromMinutes(5));
                }
                catch (OperationCanceledException)
                {
                    using HttpResponseMessage last = await apis[1].Http.GetAsync($"/api/durabletask/instances/activation-{name}");
                    Assert.Fail($"{name} did not complete: {(int)last.StatusCode} {await last.Content.ReadAsStringAsync()}\n"
                        + string.Join("\n", hosts.Where(h => h is not null).Select((h,
                            i) => $"host {i}: {h.Output[Math.Max(0, h.Output.Length - 3000)..]}")));
                    throw;
                }

                Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), $"{name}: {status}");
            }

            Phase("every activation completed");

            // Host C back on the same port and data path: the same worker as before, and the partitions spread over
            // three again.
            hosts[2] = await HostProcess.StartOnPortAsync(port, hostData[2].Path, Args(2));
            apis[2].Dispose();
            apis[2] = new EdgeKvApi(hosts[2].BaseAddress).UseToken(token);
            IReadOnlyList<SharedTaskHubState.Partition> rejoined = await WaitForPartitionsAsync(hubState,
                p => Owners(p).Count == 3, "spread over three again after the restart");
            CollectionAssert.AreEquivalent(workers, Owners(rejoined).ToArray(),
                $"the restarted host kept its worker id: {Describe(rejoined)}");
            Phase($"host C restarted, partitions {Describe(rejoined)}");

            // Racing activation-key fetches (the same one-time token on two hosts at once): handed out once.
            var keys = new Dictionary<string, string>();
            foreach (string name in names.Take(4))
            {
                HttpResponseMessage[] fetched = await Task.WhenAll(FetchAsync(apis[0], name, fetchTokens[name]),
                    FetchAsync(apis[1], name, fetchTokens[name]));
                Assert.AreEqual(1, fetched.Count(r => r.StatusCode == HttpStatusCode.OK), name);
                Assert.AreEqual(1, fetched.Count(r => r.StatusCode == HttpStatusCode.Conflict), name);
                keys[name] = (await fetched.Single(r => r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("activationKey").GetString()!;
                foreach (HttpResponseMessage r in fetched) r.Dispose();
            }

            // The first device runs the real agent (activated through host B with a key host A or C signed); the others
            // race credential rotations on two hosts with the same current credential: one new credential takes effect.
            var device = new DeviceAgent(deviceData.Path);
            await device.RunOkAsync("activate", "--key", keys[names[0]], "--endpoint", hosts[1].BaseAddress.ToString());
            await device.RunOkAsync("push-secrets");
            foreach (string name in names.Skip(1).Take(3))
            {
                using HttpResponseMessage activated = await apis[1].Http.PostAsJsonAsync("/api/device/activate",
                    new { activationKey = keys[name] });
                Assert.AreEqual(HttpStatusCode.OK, activated.StatusCode, await activated.Content.ReadAsStringAsync());
                string credential = (await activated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceCredential").GetString()!;
                // Both answer (a rotation whose answer was lost may be asked again), but one pending credential is
                // left: of the two new credentials exactly one signs in (its first use retires the old one), the other
                // never.
                HttpResponseMessage[] rotated = await Task.WhenAll(RotateAsync(hosts[0], name, credential),
                    RotateAsync(hosts[2], name, credential));
                Assert.IsTrue(rotated.All(r => r.StatusCode == HttpStatusCode.OK),
                    string.Join(", ", rotated.Select(r => r.StatusCode)));
                string[] fresh = await Task.WhenAll(rotated.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deviceCredential").GetString()!));
                foreach (HttpResponseMessage r in rotated) r.Dispose();
                var probes = new List<HttpStatusCode>();
                foreach (string candidate in fresh)
                {
                    using HttpResponseMessage probe = await RotateAsync(hosts[1], name, candidate);
                    probes.Add(probe.StatusCode);
                }

                Assert.AreEqual(1, probes.Count(p => p == HttpStatusCode.OK), $"{name}: {string.Join(", ", probes)}");
                Assert.AreEqual(1, probes.Count(p => p == HttpStatusCode.Unauthorized), $"{name}: {string.Join(", ", probes)}");
                using HttpResponseMessage retired = await RotateAsync(hosts[2], name, credential);
                Assert.AreEqual(HttpStatusCode.Unauthorized, retired.StatusCode,
                    "the old credential is retired on every host");
            }

            // A vault deletion reported by Event Grid to two hosts at once: one critical alert; healed through host B.
            JsonElement first = await apis[0].ResourceAsync(names[0]);
            string vaultId = first.GetProperty("vault").GetProperty("id").GetString()!;
            await emulator.Admin.DeleteResourceAsync(vaultId);
            HttpResponseMessage[] delivered = await Task.WhenAll(apis[0].PostVaultDeletedAsync(vaultId),
                apis[2].PostVaultDeletedAsync(vaultId));
            Assert.IsTrue(delivered.All(d => d.IsSuccessStatusCode),
                string.Join(", ", delivered.Select(d => d.StatusCode)));
            Assert.HasCount(1, (await apis[1].AlertsAsync($"?resource={names[0]}&state=Active")).Active("VaultDeleted"),
                "one alert, however many hosts heard of it");
            using (HttpResponseMessage recover = await apis[1].Http.PostAsJsonAsync($"/api/resources/{names[0]}/recoverVault", new { }))
            {
                Assert.AreEqual(HttpStatusCode.Accepted, recover.StatusCode, await recover.Content.ReadAsStringAsync());
                string statusUri = (await recover.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
                StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "60"), "ChannelIntegrityKey");
                JsonElement healed = await apis[1].PollAsync(statusUri, TimeSpan.FromMinutes(2));
                Assert.AreEqual("Completed", healed.GetProperty("runtimeStatus").GetString(), healed.ToString());
                Assert.IsTrue(healed.GetProperty("output").GetProperty("healed").GetBoolean(), healed.ToString());
            }

            // Sweeps asked of all three hosts at once run as one, and find nothing wrong.
            HttpResponseMessage[] sweeps = await Task.WhenAll(apis.Select(a => a.Http.PostAsync("/api/health/sweep",
                null)));
            Assert.IsTrue(sweeps.All(s => s.StatusCode == HttpStatusCode.Accepted));
            JsonElement swept = await apis[0].PollAsync((await sweeps[0].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!,
                TimeSpan.FromMinutes(2));
            foreach (HttpResponseMessage s in sweeps) s.Dispose();
            Assert.AreEqual("Completed", swept.GetProperty("runtimeStatus").GetString(), swept.ToString());
            Assert.AreEqual(0, swept.GetProperty("output").GetProperty("activeFaults").GetInt32(), swept.ToString());

            // Exactly one of everything in Azure; every record once; no alert doubled; the audit chain whole.
            var factory = Clients.For(emulator);
            foreach (string name in names)
            {
                JsonElement resource = await apis[2].ResourceAsync(name);
                await ProvisionedState.AssertActivatedAsync(factory, name,
                    resource.GetProperty("vault").GetProperty("name").GetString()!);
            }

            Assert.AreEqual(activations, (await factory.GetVaultsClient().ListAsync()).Count,
                "exactly one vault per resource");
            IReadOnlyList<JsonElement> alerts = await apis[0].AlertsAsync("?top=1000");
            Assert.AreEqual(1, alerts.Count(a => a.GetProperty("kind").GetString() == "VaultDeleted"),
                "the deletion was alerted once");
            Assert.IsEmpty(alerts.Where(a => a.GetProperty("state").GetString() == "Active"),
                "the healed alert is resolved");
            using (HttpResponseMessage verify = await apis[2].Http.GetAsync("/api/audit/verify"))
            {
                Assert.IsTrue((await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("intact").GetBoolean());
            }

            var sequences = new List<long>();
            string? next = "/api/audit?top=1000";
            while (next is not null)
            {
                JsonElement page = await apis[1].Http.GetFromJsonAsync<JsonElement>(next);
                sequences.AddRange(page.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
                next = page.TryGetProperty("nextLink",
                    out JsonElement link) && link.ValueKind == JsonValueKind.String ? new Uri(link.GetString()!).PathAndQuery : null;
            }

            CollectionAssert.AreEqual(Enumerable.Range(1, sequences.Count).Select(i => (long)i).ToList(), sequences,
                "every host's records, once each, in one sequence");
            Assert.IsGreaterThan(activations, sequences.Count);
            foreach (EdgeKvApi api in apis) api.Dispose();

            // No host ever found that another had written an instance's history under it: one owner per partition
            // throughout.
            string[] outputs = [killedOutput, .. hosts.Select(h => h.Output)];
            string[] outputNames = ["host C until killed", "host A", "host B", "host C restarted"];
            int splitBrains = outputs.Sum(o => Occurrences(o, "Split brain detected"));
            if (splitBrains == 0) passed = true;
            Assert.AreEqual(0, splitBrains, "split brain:\n" + string.Join("\n",
                outputs.Select((o, i) => $"== {outputNames[i]}:\n{Around(o, "Split brain detected")}")));
            Phase("done");
        }
        finally
        {
            if (!passed || trace)
            {
                // What each host logged, beside the results, to read what went wrong.
                string[] outputs = [killedOutput, .. hosts.Select(h => h?.Output ?? "")];
                string[] outputNames = ["host-C-until-killed", "host-A", "host-B", "host-C-restarted"];
                for (int i = 0; i < outputs.Length; i++)
                {
                    string file = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(),
                        $"{hub}-{outputNames[i]}.log");
                    File.WriteAllText(file, outputs[i]);
                    TestContext.AddResultFile(file);
                }
            }

            foreach (HostProcess? host in hosts)
            {
                if (host is not null) await host.DisposeAsync();
            }

            foreach (TempDirectory folder in hostData) folder.Dispose();
        }
    }

    private static HashSet<string> Owners(IReadOnlyList<SharedTaskHubState.Partition> partitions) =>
        [.. partitions.Where(p => p.Owner is not null).Select(p => p.Owner!)];

    private static string Describe(IReadOnlyList<SharedTaskHubState.Partition> partitions) =>
        string.Join(", ", partitions.Select(p => $"{p.Name[(p.Name.LastIndexOf('-') + 1)..]}={p.Owner ?? "none"}{(p.NextOwner is null ? "" : $"->{p.NextOwner}")}"));

    /// <summary>The lines before each occurrence of <paramref name="value"/> (what the host was doing then).</summary>
    private static string Around(string output, string value)
    {
        string[] lines = output.Split('\n');
        return string.Join("\n",
            Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(value, StringComparison.Ordinal))
            .Take(5).SelectMany(i => lines[Math.Max(0, i - 8)..(i + 1)].Append("--")));
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length,
            StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>
    /// Waits (three minutes at most) until every partition is held under a live lease and <paramref name="settled"/>
    /// holds of the rows: the partition manager balances on its own schedule, so this is a condition, never a time.
    /// </summary>
    private static async Task<IReadOnlyList<SharedTaskHubState.Partition>> WaitForPartitionsAsync(SharedTaskHubState hub,
        Func<IReadOnlyList<SharedTaskHubState.Partition>, bool> settled, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        IReadOnlyList<SharedTaskHubState.Partition> rows = [];
        while (!limit.IsCancellationRequested)
        {
            rows = await hub.PartitionsAsync(limit.Token);
            if (rows.Count > 0 && rows.All(p => p.Owner is not null && p.ExpiresAt > DateTimeOffset.UtcNow) && settled(rows)) return rows;
            await Task.Delay(250, CancellationToken.None);
        }

        Assert.Fail($"The partitions were never {what}: {Describe(rows)}");
        return rows;
    }

    /// <summary>
    /// From the kill on, watches the instances table: for each orchestration on the dead host's partitions that was
    /// under way, when its history first moved on (written by a live host) and when it finished.
    /// </summary>
    private static async Task<FlowRecovery> MeasureRecoveryAsync(SharedTaskHubState hub, DateTimeOffset killedAt,
        string[] deadPartitions, int partitionCount)
    {
        HashSet<string> underWay = [.. (await hub.InstancesAsync())
            .Where(i => !Terminal.Contains(i.Status) && deadPartitions.Contains(hub.PartitionOf(i.Id, partitionCount)))
            .Select(i => i.Id)];
        Assert.IsNotEmpty(underWay, "flows were under way on the dead host's partitions");
        var resumed = new Dictionary<string, TimeSpan>();
        var finished = new Dictionary<string, TimeSpan>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (finished.Count < underWay.Count && !limit.IsCancellationRequested)
        {
            foreach (SharedTaskHubState.Instance row in await hub.InstancesAsync(limit.Token))
            {
                if (!underWay.Contains(row.Id)) continue;
                if (row.LastUpdated > killedAt) resumed.TryAdd(row.Id, row.LastUpdated - killedAt);
                if (Terminal.Contains(row.Status)) finished.TryAdd(row.Id, DateTimeOffset.UtcNow - killedAt);
            }

            await Task.Delay(500, CancellationToken.None);
        }

        // Resuming is what the leases bound; finishing also takes the flows' own steps, which the activations' own
        // waits below check, however slow the machine.
        Assert.HasCount(underWay.Count, resumed, $"flows of the dead host never resumed: {string.Join(", ", underWay.Except(resumed.Keys))}");
        return new FlowRecovery(underWay.Count, resumed.ToDictionary(p => p.Key, p => p.Value.TotalSeconds),
            [.. finished.Values.Select(t => t.TotalSeconds)]);
    }

    /// <summary>
    /// How long the flows a killed host had under way took to resume and to finish on the live hosts, in seconds from
    /// the kill.
    /// </summary>
    private sealed record FlowRecovery(int Flows, IReadOnlyDictionary<string, double> ResumedBy,
        IReadOnlyList<double> Finished)
    {
        public override string ToString() => $"{Flows} flows under way: resumed after {Figures([.. ResumedBy.Values])}; finished after {Figures(Finished)}";

        private static string Figures(IReadOnlyList<double> seconds)
        {
            double[] sorted = [.. seconds.Order()];
            double Rank(int percent) => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
            return sorted.Length == 0 ? "none" : $"p50 {Rank(50):F1} s, p90 {Rank(90):F1} s, max {sorted[^1]:F1} s (n={sorted.Length})";
        }
    }

    private static async Task<HttpResponseMessage> FetchAsync(EdgeKvApi api, string name, string fetchToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/resources/{name}/activationKey");
        request.Headers.Add("x-edgekv-activation-key-token", fetchToken);
        return await api.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> RotateAsync(HostProcess host, string name, string credential)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/api/device/{name}/credential") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("Authorization", $"EdgeKvDevice {credential}");
        HttpResponseMessage response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
