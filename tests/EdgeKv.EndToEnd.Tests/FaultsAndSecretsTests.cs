using EdgeKv.Emulator.Admin;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

[TestClass]
public sealed class FaultsAndSecretsTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Activation_completes_under_seeded_faults_with_exactly_one_of_everything_and_no_secret_value_in_logs_history_or_databases()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        using var deviceData = new TempDirectory("e2e-device");
        EmulatorAdminClient admin = host.Emulator.Admin;
        const string armAndDataPlane = "^/(subscriptions|vaults)/";
        await admin.AddFaultAsync(new FaultRule(armAndDataPlane, FaultKind.Throttle, 0.09, RetryAfterSeconds: 1));
        await admin.AddFaultAsync(new FaultRule(armAndDataPlane, FaultKind.InternalError, 0.09));
        await admin.AddFaultAsync(new FaultRule(armAndDataPlane, FaultKind.Unavailable, 0.09));
        await admin.AddFaultAsync(new FaultRule(armAndDataPlane, FaultKind.Latency, 0.5, LatencyMilliseconds: 40));
        await admin.ClearRequestsAsync();
        const string customerValue = "Customer-share-secret-91c2";

        FlowResult flow = await ActivationFlow.RunAsync(host.Api, new DeviceAgent(deviceData.Path), "ase-faults",
            customerValue, TimeSpan.FromMinutes(3));

        var requests = (await admin.GetRequestsAsync()).Where(r => r.Path.StartsWith("/subscriptions/",
            StringComparison.Ordinal) || r.Path.StartsWith("/vaults/", StringComparison.Ordinal)).ToList();
        int failed = requests.Count(r => r.Status is 429 or 500 or 503);
        TestContext.WriteLine($"{requests.Count} Resource Manager and data-plane requests, {failed} failed by injection ({100.0 * failed / requests.Count:F1}%).");
        Assert.IsTrue(failed >= 0.15 * requests.Count && failed > 10,
            $"faults were injected: {failed} of {requests.Count}");
        await admin.ClearFaultsAsync();

        Assert.AreEqual(customerValue, flow.DecryptedCustomerSecret);
        ProvisionedSecrets secrets = await ProvisionedState.AssertAsync(host.Factory, "ase-faults", flow.VaultName);

        var needles = SecretScan.Needles(new Dictionary<string, string>
        {
            ["CIK"] = secrets.ChannelIntegrityKey,
            ["BitLocker recovery key"] = secrets.BitLockerRecoveryKey,
            ["BMC password"] = secrets.BmcUserPassword,
            ["customer secret"] = customerValue,
            ["activation key"] = flow.ActivationKey,
            ["activation key fetch token"] = host.Api.FetchTokens["ase-faults"],
        });
        SecretScan.AssertAbsentInText("the host's log output", host.Logs.Lines, needles);
        SecretScan.AssertAbsentInText("the orchestration status, output, input and history", [flow.FinalStatusJson],
            needles);
        int files = SecretScan.AssertAbsentInFolder(host.DataPath, needles,
            skip: f => f.Contains($"{Path.DirectorySeparatorChar}emulator{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal));
        int deviceFiles = SecretScan.AssertAbsentInFolder(deviceData.Path, needles);
        TestContext.WriteLine($"Scanned {host.Logs.Lines.Count} log lines, the status with history, {files} host data files and {deviceFiles} device files.");
        Assert.IsTrue(files >= 2 && host.Logs.Lines.Count > 50);
    }
}
