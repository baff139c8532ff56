using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests.Keys;

/// <summary>
/// The host killed hard (SIGKILL) right after a key version reached the vault, during distribution and during rotation,
/// then started again on the same data: each flow completes and the vault holds exactly one Azure version per EdgeKv
/// version.
/// </summary>
[TestClass]
public sealed class KeyFlowCrashTests
{
    [TestMethod]
    public async Task Host_killed_during_distribution_and_during_rotation_leaves_exactly_one_Azure_version_per_EdgeKv_version()
    {
        using var emulatorData = new TempDirectory("e2e-kcrash-emulator");
        using var hostData = new TempDirectory("e2e-kcrash-host");
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions { DataFolder = emulatorData.Path, RetryAfter = TimeSpan.Zero });
        // The vault is in EdgeKv's own group, the only one its identity may read; an operator (a Contributor) makes it.
        using var factory = Clients.For(emulator, EmulatorPrincipals.Contributor);
        using var edgeKv = Clients.For(emulator); // the vault's data plane, through the access policy that names EdgeKv
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(ProvisionedState.ResourceGroup,
            emulator.DefaultLocation);
        string[] keyPermissions = ["get", "list", "create", "import", "update", "delete", "recover", "encrypt",
            "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
        VaultProperties vault = await factory.GetVaultsClient().CreateOrUpdateAsync(ProvisionedState.ResourceGroup,
            "crash-vault", new VaultDefinition(emulator.DefaultLocation, emulator.TenantId,
            [new VaultAccessPolicy(emulator.TenantId,
                emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId.ToString(), [], keyPermissions)],
                SkuName: "premium"));
        string[] args = [.. HostProcess.AgainstEmulator(emulator, hostData.Path), "--EdgeKv:TaskHub:WorkItemLease",
            "00:10:00"];
        string token = await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv");

        string distribution = await RunUntilImportedThenKillAsync(hostData.Path, args, token, emulator, imports: 1,
            async api =>
        {
            Assert.AreEqual(HttpStatusCode.Created,
                (await api.Http.PutAsJsonAsync("/api/keys/crash-1", new { type = "rsa-2048" })).StatusCode);
            Assert.AreEqual(HttpStatusCode.Created,
                (await api.Http.PutAsJsonAsync("/api/kms/keyvault",
                    new { provider = "azurekeyvault", keyCollection = "crash-vault" })).StatusCode);
            return await api.Http.PutAsJsonAsync("/api/kms/keyvault/keys/crash-1",
                new { purpose = new[] { "encrypt", "decrypt" }, protection = "hsm" });
        });
        await ResumeAsync(hostData.Path, args, token, distribution);

        string rotation = await RunUntilImportedThenKillAsync(hostData.Path, args, token, emulator, imports: 2,
            api => api.Http.PostAsync("/api/keys/crash-1/rotate", null));
        JsonElement key = await ResumeAsync(hostData.Path, args, token, rotation);

        Assert.AreEqual(2, key.GetProperty("latestVersion").GetInt32());
        KeysClient keys = edgeKv.CreateKeysClient(vault.VaultUri!);
        IReadOnlyList<KeyProperties> versions = await keys.GetPropertiesOfKeyVersionsAsync("crash-1");
        CollectionAssert.AreEquivalent(new[] { "1", "2" }, versions.Select(v => v.Tags["edgekv-version"]).ToArray(),
            "exactly one Azure version per EdgeKv version");
        KeyVaultKey current = await keys.GetKeyAsync("crash-1");
        Assert.AreEqual("2", current.Properties.Tags["edgekv-version"]);
        CollectionAssert.AreEqual(KeyManagementWalkThroughTests.PublicModulus(key, 2), current.Modulus);
    }

    /// <summary>
    /// Starts a host, starts a flow, kills the host as soon as the vault has answered the <paramref name="imports"/>-th
    /// import; answers the status path.
    /// </summary>
    private static async Task<string> RunUntilImportedThenKillAsync(string dataPath, string[] args, string token,
        RunningEmulator emulator, int imports,
        Func<EdgeKvApi, Task<HttpResponseMessage>> start)
    {
        await using HostProcess host = await HostProcess.StartAsync(dataPath, args);
        using var api = new EdgeKvApi(host.BaseAddress).UseToken(token);
        using HttpResponseMessage started = await start(api);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string statusPath = new Uri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!).PathAndQuery;
        await CrashHarness.KillWhenAsync(host.KillAsync, async ct =>
            (await emulator.Admin.GetRequestsAsync(method: "PUT", pathContains: "/keys/crash-1", status: 200,
                cancellationToken: ct)).Count >= imports, $"Import {imports}");
        return statusPath;
    }

    /// <summary>
    /// Starts the host again on the same data, waits for the flow to complete, answers the key as EdgeKv reads it.
    /// </summary>
    private static async Task<JsonElement> ResumeAsync(string dataPath, string[] args, string token, string statusPath)
    {
        await using HostProcess host = await HostProcess.StartAsync(dataPath, args);
        using var api = new EdgeKvApi(host.BaseAddress).UseToken(token);
        JsonElement final = await api.PollAsync(statusPath, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        return await api.Http.GetFromJsonAsync<JsonElement>("/api/keys/crash-1");
    }
}
