using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

[TestClass]
public sealed class DeviceSyncTests
{
    [TestMethod]
    public async Task Deleting_the_CIK_raises_an_alert_and_syncing_with_the_device_agent_restores_it()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-sync-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        FlowResult flow = await ActivationFlow.RunAsync(api, device, "ase-sync1", "customer-value-sync1");
        ProvisionedSecrets before = await ProvisionedState.AssertAsync(host.Factory, "ase-sync1", flow.VaultName);
        var vault = (await host.Contributor.GetVaultsClient().ListAsync()).Single(v => v.Name == flow.VaultName);
        SecretClient secrets = host.Factory.CreateSecretClient(vault.VaultUri!);
        DeleteSecretOperation deleting = await secrets.StartDeleteSecretAsync("ChannelIntegrityKey");
        await deleting.WaitForCompletionAsync();

        await api.SweepAsync();
        Assert.AreEqual(1, (await api.AlertsAsync("?resource=ase-sync1")).Active("ChannelIntegrityKeyMissing").Count);

        using var started = await api.Http.PostAsync("/api/resources/ase-sync1/syncDeviceSecrets", null);
        Assert.AreEqual(System.Net.HttpStatusCode.Accepted, started.StatusCode,
            await started.Content.ReadAsStringAsync());
        string statusUri = (await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!;
        string answered = await device.RunOkAsync("sync", "--wait", "30");
        StringAssert.Contains(answered, "ChannelIntegrityKey");
        JsonElement final = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        Assert.IsTrue(final.GetProperty("output").GetProperty("healed").GetBoolean(), final.ToString());

        ProvisionedSecrets after = await ProvisionedState.AssertAsync(host.Factory, "ase-sync1", flow.VaultName);
        Assert.AreEqual(before, after, "the vault holds the device's own secrets again");
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-sync1&state=Active")).Count);
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "FlowCompleted" && n.GetProperty("resource").GetString() == "ase-sync1", TimeSpan.FromMinutes(3));
        Assert.AreEqual("No sync of device secrets requested.", await device.RunOkAsync("sync", "--wait", "0"));
    }

    [TestMethod]
    public async Task A_sync_the_device_does_not_answer_ends_with_that_reason_on_a_durable_timer()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:Health:DeviceSyncTimeout", "00:00:02"]);
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-sync2");
        await api.ActivateAsync("ase-sync2");
        JsonElement final = await api.HealAsync("/api/resources/ase-sync2/syncDeviceSecrets");
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        JsonElement output = final.GetProperty("output");
        Assert.IsFalse(output.GetProperty("healed").GetBoolean());
        StringAssert.StartsWith(output.GetProperty("summary").GetString(), "DeviceDidNotAnswer");
    }
}

internal static class HttpContentJson
{
    public static async Task<JsonElement> ReadFromJsonElementAsync(this HttpContent content) =>
        JsonDocument.Parse(await content.ReadAsStringAsync()).RootElement.Clone();
}
