using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator;
using EdgeKv.Tests.Support;
using EdgeKv.Local.Emulator;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The host killed hard while the audit storage account is being created, then started again on the same data.
/// </summary>
[TestClass]
public sealed class CrashRecoveryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Host_killed_during_the_storage_account_step_resumes_and_provisions_exactly_one_of_everything()
    {
        using var emulatorData = new TempDirectory("e2e-emulator");
        using var hostData = new TempDirectory("e2e-host");
        using var deviceData = new TempDirectory("e2e-device");
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            DataFolder = emulatorData.Path,
            LongRunningOperationDuration = TimeSpan.FromSeconds(8),
            RetryAfter = TimeSpan.Zero,
        }.WithTemplateRoles(ProvisionedState.ResourceGroup));
        string[] args =
        [
            .. HostProcess.AgainstEmulator(emulator, hostData.Path),
            // A lease far longer than the test's waits: the work resumes only because the restarted host releases the
            // leases its killed predecessor held (same data path, same lease owner) at start-up.
            "--EdgeKv:TaskHub:WorkItemLease", "00:10:00",
        ];

        string statusPath, fetchToken;
        await using (HostProcess first = await HostProcess.StartAsync(hostData.Path, args))
        {
            using var api = new EdgeKvApi(first.BaseAddress).UseToken(await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv"));
            await api.CreateResourceAsync("ase-crash");
            using HttpResponseMessage started = await api.StartActivationAsync("ase-crash");
            Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode);
            fetchToken = api.FetchTokens["ase-crash"];
            statusPath = new Uri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!).PathAndQuery;

            // Kill once the storage account's creation was accepted (202) and is still running.
            await CrashHarness.KillWhenAsync(first.KillAsync, async ct =>
                (await emulator.Admin.GetRequestsAsync(method: "PUT", pathContains: "/storageAccounts/", status: 202,
                    cancellationToken: ct)).Count > 0,
                "The storage account's creation");
        }

        var factory = Clients.For(emulator);
        var subscriptionWide = Clients.For(emulator,
            EmulatorPrincipals.Contributor); // EdgeKv holds roles on its group only: count the whole subscription as a Contributor
        var pending = await factory.GetStorageAccountsClient().ListAsync(ProvisionedState.ResourceGroup);
        Assert.AreEqual(1, pending.Count);
        Assert.AreNotEqual("Succeeded", pending[0].ProvisioningState,
            "killed in the middle of the storage-account step");

        await using HostProcess second = await HostProcess.StartAsync(hostData.Path, args);
        using var api2 = new EdgeKvApi(second.BaseAddress).UseToken(await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv"));
        api2.FetchTokens["ase-crash"] = fetchToken; // the starter's client keeps its token across the host's restart
        JsonElement status = await api2.PollAsync(statusPath, TimeSpan.FromMinutes(5));
        // The key names the endpoint the activation was started on (the first host's port); the device is told the new
        // one.
        FlowResult flow = await ActivationFlow.FinishAsync(api2, new DeviceAgent(deviceData.Path), "ase-crash",
            "after-the-crash", status, second.BaseAddress);

        Assert.AreEqual("after-the-crash", flow.DecryptedCustomerSecret);
        await ProvisionedState.AssertAsync(factory, "ase-crash", flow.VaultName);
        Assert.AreEqual(1, (await subscriptionWide.GetVaultsClient().ListAsync()).Count,
            "exactly one vault in the subscription");
        Assert.AreEqual(1, (await emulator.Admin.GetRequestsAsync(method: "PUT", pathContains: "/storageAccounts/",
            status: 202)).Count, "the account was created once");
    }

    [TestMethod]
    public async Task Host_killed_during_vault_recovery_resumes_at_restart_and_heals_with_exactly_one_of_everything()
    {
        using var emulatorData = new TempDirectory("e2e-rcrash-emulator");
        using var hostData = new TempDirectory("e2e-rcrash-host");
        using var deviceData = new TempDirectory("e2e-rcrash-device");
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions { DataFolder = emulatorData.Path, RetryAfter = TimeSpan.Zero }.WithTemplateRoles(ProvisionedState.ResourceGroup));
        string[] args =
        [
            .. HostProcess.AgainstEmulator(emulator, hostData.Path),
            "--EdgeKv:TaskHub:WorkItemLease", "00:10:00",
            // resumes only because the restarted host releases its own leases
        ];
        var device = new DeviceAgent(deviceData.Path);
        string token = await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv");

        int port;
        string statusPath, vaultName;
        await using (HostProcess first = await HostProcess.StartAsync(hostData.Path, args))
        {
            port = first.BaseAddress.Port;
            using var api = new EdgeKvApi(first.BaseAddress).UseToken(token);
            FlowResult flow = await ActivationFlow.RunAsync(api, device, "ase-rcrash", "before-the-crash");
            vaultName = flow.VaultName;
            JsonElement resource = await api.ResourceAsync("ase-rcrash");
            await emulator.Admin.DeleteResourceAsync(resource.GetProperty("vault").GetProperty("id").GetString()!);

            using HttpResponseMessage started = await api.Http.PostAsJsonAsync("/api/resources/ase-rcrash/recoverVault",
                new { });
            Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
                await started.Content.ReadAsStringAsync());
            statusPath = new Uri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!).PathAndQuery;

            // Kill once the vault is back and the flow waits for the device: mid-recovery.
            await CrashHarness.KillWhenAsync(first.KillAsync, async ct =>
                (await api.Http.GetStringAsync(statusPath, ct)).Contains("Waiting for the device",
                    StringComparison.Ordinal), "The wait for the device");
        }

        await using HostProcess second = await HostProcess.StartOnPortAsync(port, hostData.Path, args);
        using var api2 = new EdgeKvApi(second.BaseAddress).UseToken(token);
        StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "60"), "ChannelIntegrityKey");
        JsonElement final = await api2.PollAsync(statusPath, TimeSpan.FromMinutes(5));

        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        Assert.IsTrue(final.GetProperty("output").GetProperty("healed").GetBoolean(), final.ToString());
        var factory = Clients.For(emulator);
        var subscriptionWide = Clients.For(emulator,
            EmulatorPrincipals.Contributor); // EdgeKv holds roles on its group only: count the whole subscription as a Contributor
        await ProvisionedState.AssertAsync(factory, "ase-rcrash", vaultName);
        Assert.AreEqual(1, (await subscriptionWide.GetVaultsClient().ListAsync()).Count,
            "exactly one vault in the subscription");
    }
}
