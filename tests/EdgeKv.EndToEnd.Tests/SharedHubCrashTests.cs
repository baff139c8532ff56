using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator;
using EdgeKv.Tests.Support;
using EdgeKv.Local.Emulator;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Two hosts on one Azure Storage task hub (Azurite), as several hosts share it in Azure: one is killed hard in the
/// middle of an activation, the other finishes it, and nothing in Azure is duplicated.
/// </summary>
[TestClass]
public sealed class SharedHubCrashTests
{
    [TestMethod]
    public async Task A_host_killed_mid_activation_leaves_the_flow_to_the_other_host_which_provisions_exactly_one_of_everything()
    {
        using AzuriteProcess azurite = await RequiredAzurite.StartAsync();
        using var emulatorData = new TempDirectory("e2e-shared-emulator");
        using var hostData = new TempDirectory("e2e-shared-host");
        using var deviceData = new TempDirectory("e2e-shared-device");
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            DataFolder = emulatorData.Path,
            LongRunningOperationDuration = TimeSpan.FromSeconds(8),
            RetryAfter = TimeSpan.Zero,
        }.WithTemplateRoles(ProvisionedState.ResourceGroup));
        string[] args =
        [
            .. HostProcess.AgainstEmulator(emulator, hostData.Path),
            "--EdgeKv:TaskHub:StorageProvider", "AzureStorage",
            "--extensions:durableTask:hubName", "shared" + Guid.NewGuid().ToString("N")[..10],
            "--AzureWebJobsStorage", azurite.ConnectionString,
            // The two hosts share one data path, so each takes its own kept worker id (a slot each). The dead host's
            // partitions go to the other once their lease lapses; the messages it had taken reappear after these.
            "--EdgeKv:TaskHub:PartitionLeaseInterval", "00:00:15",
            "--EdgeKv:TaskHub:PartitionLeaseRenewInterval", "00:00:03",
            "--EdgeKv:TaskHub:ControlQueueVisibilityTimeout", "00:00:20",
            "--EdgeKv:TaskHub:WorkItemLease", "00:00:10",
        ];

        await using HostProcess survivor = await HostProcess.StartAsync(hostData.Path, args);
        string statusPath, fetchToken;
        await using (HostProcess victim = await HostProcess.StartAsync(hostData.Path, args))
        {
            using var api = new EdgeKvApi(victim.BaseAddress).UseToken(await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv"));
            await api.CreateResourceAsync("ase-shared");
            using HttpResponseMessage started = await api.StartActivationAsync("ase-shared");
            Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
                await started.Content.ReadAsStringAsync());
            fetchToken = api.FetchTokens["ase-shared"];
            statusPath = new Uri((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!).PathAndQuery;

            // Kill one host while the storage account's creation is accepted and still running.
            await CrashHarness.KillWhenAsync(victim.KillAsync, async ct =>
                (await emulator.Admin.GetRequestsAsync(method: "PUT", pathContains: "/storageAccounts/", status: 202,
                    cancellationToken: ct)).Count > 0,
                "The storage account's creation");
        }

        using var api2 = new EdgeKvApi(survivor.BaseAddress).UseToken(await emulator.Admin.IssueTokenAsync("security-team", "api://edgekv"));
        api2.FetchTokens["ase-shared"] = fetchToken;
        JsonElement status = await api2.PollAsync(statusPath, TimeSpan.FromMinutes(4));
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        FlowResult flow = await ActivationFlow.FinishAsync(api2, new DeviceAgent(deviceData.Path), "ase-shared",
            "shared-hub", status, survivor.BaseAddress);

        var factory = Clients.For(emulator);
        var subscriptionWide = Clients.For(emulator,
            EmulatorPrincipals.Contributor); // EdgeKv holds roles on its group only: count the whole subscription as a Contributor
        Assert.AreEqual("shared-hub", flow.DecryptedCustomerSecret);
        await ProvisionedState.AssertAsync(factory, "ase-shared", flow.VaultName);
        Assert.AreEqual(1, (await subscriptionWide.GetVaultsClient().ListAsync()).Count,
            "exactly one vault in the subscription");
        Assert.AreEqual(1, (await factory.GetStorageAccountsClient().ListAsync(ProvisionedState.ResourceGroup)).Count,
            "exactly one storage account");
    }
}
