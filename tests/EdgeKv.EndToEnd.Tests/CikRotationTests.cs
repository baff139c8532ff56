using System.Net;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Functions.Device;
using EdgeKv.Orchestrations;
using EdgeKv.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The Channel Integrity Key nearing its expiry raises an alert; a rotation (on demand, then on the schedule) writes a
/// new version in the vault, the device agent takes it through the sync of device secrets, and from then on EdgeKv,
/// the vault and the device use it: the device decrypts customer secrets with the new key. No key value reaches a log.
/// </summary>
[TestClass]
public sealed class CikRotationTests
{
    private const string Resource = "ase-rot1";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task A_rotation_on_demand_and_on_schedule_reaches_the_device_through_the_sync_flow()
    {
        using var deviceData = new TempDirectory("e2e-device-rot");
        var device = new DeviceAgent(deviceData.Path);
        // A window longer than the CIK's lifetime (180 days): the new CIK counts as nearing its expiry at once.
        await using InProcessHost host = await InProcessHost.StartAsync("--timers:HealthSweepTimer:Disabled", "true",
            "--EdgeKv:Secrets:NearExpiryWindow", "200.00:00:00");
        EdgeKvApi api = host.Api;
        await ActivationFlow.RunAsync(api, device, Resource, "rotation-customer-value-5b8");
        string first = (await api.ResourceAsync(Resource)).GetProperty("channelIntegrityKeyVersion").GetString()!;
        StringAssert.Contains(await device.RunOkAsync("status"), first);

        await api.SweepAsync();
        JsonElement near = (await api.AlertsAsync($"?resource={Resource}")).Active("SecretNearExpiry").Single();
        StringAssert.Contains(near.GetProperty("finding").GetString(), "'ChannelIntegrityKey'");

        // On demand: the starter answers 202, the device takes the new key at its next sync, the flow completes.
        using HttpResponseMessage started = await api.Http.PostAsync($"/api/resources/{Resource}/rotateChannelIntegrityKey", null);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string statusUri = (await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!;
        string second = await DeviceTakesNewKeyAsync(device, first);
        JsonElement final = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        Assert.IsTrue(final.GetProperty("output").GetProperty("rotated").GetBoolean(), final.ToString());
        await AssertInUseAsync(host, device, Resource, second);

        // On the schedule: not before the rotation period, then once it has passed.
        IServiceProvider services = host.Services;
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var scheduler = ActivatorUtilities.CreateInstance<CikRotationScheduler>(services, clock);
        DurableTaskClient client = EdgeKv.FunctionsHost.DurableClientBinding.GetClient(services);
        Assert.IsEmpty(await scheduler.StartDueAsync(client, CancellationToken.None), "not due yet");
        clock.Advance(TimeSpan.FromDays(91));
        CollectionAssert.AreEqual(new[] { Resource },
            (await scheduler.StartDueAsync(client, CancellationToken.None)).ToArray());
        string third = await DeviceTakesNewKeyAsync(device, second);
        OrchestrationMetadata scheduled = await client.WaitForInstanceCompletionAsync(RotateChannelIntegrityKeyOrchestrator.InstanceIdFor(Resource), getInputsAndOutputs: true);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, scheduled.RuntimeStatus,
            scheduled.FailureDetails?.ErrorMessage);
        await AssertInUseAsync(host, device, Resource, third);
        Assert.AreEqual(3, new[] { first, second, third }.Distinct().Count());

        // No CIK value in the host's logs or data, nor in the flows' status.
        SecretClient vault = host.Factory.CreateSecretClient(new Uri((await api.ResourceAsync(Resource)).GetProperty("vault").GetProperty("uri").GetString()!), host.Factory.Credential);
        var values = new Dictionary<string, string>();
        foreach (string version in new[] { first, second,
            third }) values[$"CIK {version}"] = (await vault.GetSecretAsync("ChannelIntegrityKey",
                version)).Value.Value;
        var needles = SecretScan.Needles(values);
        SecretScan.AssertAbsentInText("the host's log output", host.Logs.Lines, needles);
        SecretScan.AssertAbsentInText("the rotation's status", [final.ToString(), scheduled.SerializedOutput ?? ""],
            needles);
        SecretScan.AssertAbsentInFolder(host.DataPath, needles,
            skip: f => f.Contains($"{Path.DirectorySeparatorChar}emulator{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal));
        TestContext.WriteLine($"CIK versions: {first} -> {second} -> {third}.");
    }

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task A_device_that_is_away_keeps_its_key_and_the_next_rotation_offers_the_same_pending_version()
    {
        const string away = "ase-rot2";
        using var deviceData = new TempDirectory("e2e-device-rot2");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync("--timers:HealthSweepTimer:Disabled", "true",
            "--EdgeKv:Health:DeviceSyncTimeout", "00:00:20");
        EdgeKvApi api = host.Api;
        await ActivationFlow.RunAsync(api, device, away, "rotation-customer-value-5b8");
        string first = (await api.ResourceAsync(away)).GetProperty("channelIntegrityKeyVersion").GetString()!;

        JsonElement unanswered = await api.HealAsync($"/api/resources/{away}/rotateChannelIntegrityKey");
        Assert.AreEqual("Completed", unanswered.GetProperty("runtimeStatus").GetString(), unanswered.ToString());
        Assert.IsFalse(unanswered.GetProperty("output").GetProperty("rotated").GetBoolean(), unanswered.ToString());
        StringAssert.StartsWith(unanswered.GetProperty("output").GetProperty("summary").GetString(),
            "DeviceDidNotAnswer");
        JsonElement resource = await api.ResourceAsync(away);
        Assert.AreEqual(first, resource.GetProperty("channelIntegrityKeyVersion").GetString(),
            "the current key stays in use");
        string pending = resource.GetProperty("pendingChannelIntegrityKeyVersion").GetString()!;
        Assert.AreNotEqual(first, pending);
        Assert.AreEqual("rotation-customer-value-5b8",
            await device.RunOkAsync("get-secret", "--name", ActivationFlow.CustomerSecretName),
            "the device still reads with its key");

        using HttpResponseMessage started = await api.Http.PostAsync($"/api/resources/{away}/rotateChannelIntegrityKey",
            null);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        Assert.AreEqual(pending, await DeviceTakesNewKeyAsync(device, first), "the pending version, not another");
        JsonElement final = await api.PollAsync((await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.IsTrue(final.GetProperty("output").GetProperty("rotated").GetBoolean(), final.ToString());
        await AssertInUseAsync(host, device, away, pending);
    }

    /// <summary>
    /// Runs the device agent's sync until a sync request carrying a rotated key came (the flow posts it shortly); the
    /// new version.
    /// </summary>
    private static async Task<string> DeviceTakesNewKeyAsync(DeviceAgent device, string current)
    {
        DateTimeOffset until = DateTimeOffset.UtcNow.AddMinutes(3);
        while (true)
        {
            string answered = await device.RunOkAsync("sync", "--wait", "30");
            if (answered.Contains("Took channel integrity key version", StringComparison.Ordinal))
            {
                string version = answered[(answered.LastIndexOf("version ",
                    StringComparison.Ordinal) + "version ".Length)..].TrimEnd('.', ' ', '\n', '\r');
                Assert.AreNotEqual(current, version);
                return version;
            }

            Assert.IsTrue(DateTimeOffset.UtcNow < until, "the device was asked to take a new key within three minutes: " + answered);
        }
    }

    /// <summary>
    /// EdgeKv's record, the resource's extended information and the device name <paramref name="version"/>, and the
    /// device decrypts with it.
    /// </summary>
    private static async Task AssertInUseAsync(InProcessHost host, DeviceAgent device, string name, string version)
    {
        JsonElement resource = await host.Api.ResourceAsync(name);
        Assert.AreEqual(version, resource.GetProperty("channelIntegrityKeyVersion").GetString(), resource.ToString());
        Assert.AreEqual(JsonValueKind.Null, resource.GetProperty("pendingChannelIntegrityKeyVersion").ValueKind,
            resource.ToString());
        var info = await host.Factory.GetEdgeDevicesClient().GetExtendedInformationAsync(ProvisionedState.ResourceGroup,
            name);
        Assert.AreEqual(version, info.ChannelIntegrityKeyVersion);
        StringAssert.Contains(await device.RunOkAsync("status"), version);
        Assert.AreEqual("rotation-customer-value-5b8",
            await device.RunOkAsync("get-secret", "--name", ActivationFlow.CustomerSecretName),
            "encrypted under the new key");
    }
}
