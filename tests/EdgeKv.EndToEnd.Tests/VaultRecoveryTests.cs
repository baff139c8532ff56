using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

[TestClass]
public sealed class VaultRecoveryTests
{
    [TestMethod]
    public async Task Recovery_within_retention_restores_everything_and_the_device_secrets_read_back_equal_to_the_devices()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-recover-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        (FlowResult flow, ProvisionedSecrets before, _) =
            await ActivateThenDeleteVaultAsync(host, device, "ase-rec1", "customer-value-rec1");
        Assert.AreEqual(1, (await api.SweepAsync()).GetProperty("raised").GetInt32());

        JsonElement final = await RecoverWithDeviceAsync(api, device, "ase-rec1", new { });
        StringAssert.Contains(final.GetProperty("output").GetProperty("summary").GetString(),
            "recovered with the same name");

        ProvisionedSecrets after = await ProvisionedState.AssertAsync(host.Factory, "ase-rec1", flow.VaultName);
        Assert.AreEqual(before, after);
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-rec1&state=Active")).Count);
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "FlowCompleted" && n.GetProperty("summary").GetString()!.StartsWith("Vault recovery", StringComparison.Ordinal),
            TimeSpan.FromMinutes(3));

        // Recovery and the device sync it ends with put no secret value in logs, orchestration state or EdgeKv's files.
        var needles = SecretScan.Needles(new Dictionary<string, string>
        {
            ["CIK"] = after.ChannelIntegrityKey,
            ["BitLocker recovery key"] = after.BitLockerRecoveryKey,
            ["BMC password"] = after.BmcUserPassword,
            ["customer secret"] = "customer-value-rec1",
            ["activation key"] = flow.ActivationKey,
        });
        SecretScan.AssertAbsentInText("the host's log output", host.Logs.Lines, needles);
        SecretScan.AssertAbsentInText("the recovery's status and output", [final.ToString(), flow.FinalStatusJson],
            needles);
        SecretScan.AssertAbsentInText("the notifications", sink.Received.Select(n => n.ToString()), needles);
        SecretScan.AssertAbsentInFolder(host.DataPath, needles,
            skip: f => f.Contains($"{Path.DirectorySeparatorChar}emulator{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal));
        SecretScan.AssertAbsentInFolder(deviceData.Path, needles);
    }

    [TestMethod]
    public async Task Recovery_whose_device_stays_offline_ends_waiting_for_it_with_the_alert_kept_and_the_devices_late_answer_resolves_it()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-recover-offline-device");
        var device = new DeviceAgent(deviceData.Path);
        // The recovery waits this long for the device, which is offline until the recovery has ended.
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:Health:DeviceSyncTimeout", "00:00:03"]);
        EdgeKvApi api = host.Api;
        (FlowResult flow, ProvisionedSecrets before, _) =
            await ActivateThenDeleteVaultAsync(host, device, "ase-rec3", "customer-value-rec3");
        Assert.AreEqual(1, (await api.SweepAsync()).GetProperty("raised").GetInt32());

        JsonElement final = await api.HealAsync("/api/resources/ase-rec3/recoverVault", new { });

        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        JsonElement output = final.GetProperty("output");
        Assert.IsFalse(output.GetProperty("healed").GetBoolean(), "not healed while the device's secrets are not back");
        StringAssert.StartsWith(output.GetProperty("summary").GetString(), "WaitingForDevice");
        StringAssert.Contains(final.GetProperty("customStatus").GetString(), "Waiting for the device");
        Assert.HasCount(1, (await api.AlertsAsync("?resource=ase-rec3&state=Active")).Active("VaultDeleted"),
            "the alert stays");
        JsonElement waiting = await api.SweepAsync();
        Assert.AreEqual(1, waiting.GetProperty("activeFaults").GetInt32(),
            "a sweep keeps the alert while the device is awaited: " + waiting);
        Assert.HasCount(1, (await api.AlertsAsync("?resource=ase-rec3&state=Active")).Active("VaultDeleted"));

        // The device comes back, finds the sync request the recovery left open and answers it: the healing completes.
        StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "45"), "ChannelIntegrityKey");
        Assert.IsEmpty(await api.AlertsAsync("?resource=ase-rec3&state=Active"));
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "AlertsChanged" && n.GetProperty("resource").GetString() == "ase-rec3"
            && n.GetProperty("summary").GetString()!.StartsWith("Vault recovery", StringComparison.Ordinal),
                TimeSpan.FromMinutes(3));
        Assert.AreEqual(before, await ProvisionedState.AssertAsync(host.Factory, "ase-rec3", flow.VaultName));
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
        Assert.AreEqual("No sync of device secrets requested.", await device.RunOkAsync("sync", "--wait", "0"));
    }

    [TestMethod]
    public async Task A_sync_started_after_a_recovery_that_ended_waiting_for_the_device_completes_its_healing()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-recover-later-sync-device");
        var device = new DeviceAgent(deviceData.Path);
        // The recovery waits this long for the device in vain; the sync after it waits as long, the device answering
        // it.
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:Health:DeviceSyncTimeout", "00:00:45"]);
        EdgeKvApi api = host.Api;
        await ActivationFlow.RunAsync(api, device, "ase-rec4", "customer-value-rec4");
        JsonElement resource = await api.ResourceAsync("ase-rec4");
        await host.Emulator.Admin.DeleteResourceAsync(resource.GetProperty("vault").GetProperty("id").GetString()!);
        Assert.AreEqual(1, (await api.SweepAsync()).GetProperty("raised").GetInt32());
        JsonElement recovery = await api.HealAsync("/api/resources/ase-rec4/recoverVault", new { });
        Assert.IsFalse(recovery.GetProperty("output").GetProperty("healed").GetBoolean(), recovery.ToString());

        // The operator asks for a sync; the device answers that request, not the recovery's.
        using HttpResponseMessage started = await api.Http.PostAsJsonAsync("/api/resources/ase-rec4/syncDeviceSecrets",
            new { });
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string statusUri = (await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!;
        // Once it waits, its request has replaced the one the recovery left open.
        await WaitForCustomStatusAsync(api, statusUri, "Waiting");
        StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "45"), "ChannelIntegrityKey");
        JsonElement sync = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));

        Assert.IsTrue(sync.GetProperty("output").GetProperty("healed").GetBoolean(), sync.ToString());
        Assert.IsEmpty(await api.AlertsAsync("?resource=ase-rec4&state=Active"),
            "the recovery's alert resolved with the device's answer");
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
    }

    [TestMethod]
    public async Task After_a_clock_shift_past_retention_and_a_purge_recovery_needs_and_uses_a_new_name()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-purged-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        (FlowResult flow, ProvisionedSecrets before, JsonElement resource) =
            await ActivateThenDeleteVaultAsync(host, device, "ase-rec2", "customer-value-rec2");
        await host.Emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(91));
        try
        {
            await host.Contributor.GetVaultsClient().PurgeDeletedAsync(resource.GetProperty("location").GetString()!,
                flow.VaultName);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Past its scheduled purge date the emulator has purged it already, as Azure does.
        }

        using (HttpResponseMessage refused = await api.Http.PostAsJsonAsync("/api/resources/ase-rec2/recoverVault",
            new { }))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, refused.StatusCode);
            StringAssert.Contains(await refused.Content.ReadAsStringAsync(), "NewVaultNameRequired");
        }

        const string newName = "kv-ase-rec2-new";
        JsonElement final = await RecoverWithDeviceAsync(api, device, "ase-rec2", new { newVaultName = newName });
        StringAssert.Contains(final.GetProperty("output").GetProperty("summary").GetString(), newName);
        Assert.AreEqual(newName,
            (await api.ResourceAsync("ase-rec2")).GetProperty("vault").GetProperty("name").GetString());
        // A purged vault's customer secrets are gone with it: the customer stores them again (device secrets come back
        // from the device).
        using (HttpResponseMessage put = await api.Http.PutAsJsonAsync($"/api/resources/ase-rec2/customerSecrets/{ActivationFlow.CustomerSecretName}", new { value = "customer-value-rec2" }))
        {
            Assert.IsTrue(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        ProvisionedSecrets after = await ProvisionedState.AssertAsync(host.Factory, "ase-rec2", newName);
        Assert.AreEqual(before, after, "the new vault holds the device's own secrets, its CIK included");
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
    }

    [TestMethod]
    public async Task Security_summary_of_a_deleted_then_purged_vault_shows_the_vault_gone_and_every_active_alert_of_the_resource()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync("ase-gone");
        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;
        await host.Emulator.Admin.DeleteResourceAsync(vaultId);
        using (HttpResponseMessage delivered = await api.PostVaultDeletedAsync(vaultId))
        {
            Assert.IsTrue(delivered.IsSuccessStatusCode, await delivered.Content.ReadAsStringAsync());
        }

        JsonElement deleted = await api.Http.GetFromJsonAsync<JsonElement>("/api/resources/ase-gone/security");
        Assert.AreEqual("Deleted", deleted.GetProperty("vaultState").GetString());
        Assert.AreEqual(vaultId, deleted.GetProperty("vaultId").GetString());
        Assert.IsFalse(deleted.GetProperty("identity").GetProperty("hasVaultAccess").GetBoolean());
        Assert.AreEqual(0, deleted.GetProperty("diagnostics").GetArrayLength());
        IReadOnlyList<JsonElement> active = await api.AlertsAsync("?resource=ase-gone&state=Active");
        JsonElement[] shown = [.. deleted.GetProperty("alerts").EnumerateArray()];
        CollectionAssert.AreEquivalent(active.Select(a => a.GetProperty("id").GetString()).ToList(),
            shown.Select(a => a.GetProperty("id").GetString()).ToList());
        Assert.AreEqual("VaultDeleted", shown[0].GetProperty("kind").GetString(), "the worst alert comes first");
        Assert.AreEqual("Critical", shown[0].GetProperty("severity").GetString());
        StringAssert.Contains(shown[0].GetProperty("healing").GetString(), "recoverVault");

        await host.Emulator.Admin.AdvanceClockAsync(TimeSpan.FromDays(91));
        try
        {
            await host.Contributor.GetVaultsClient().PurgeDeletedAsync(resource.GetProperty("location").GetString()!,
                resource.GetProperty("vault").GetProperty("name").GetString()!);
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Past its scheduled purge date the emulator has purged it already, as Azure does.
        }

        JsonElement purged = await api.Http.GetFromJsonAsync<JsonElement>("/api/resources/ase-gone/security");
        Assert.AreEqual("Purged", purged.GetProperty("vaultState").GetString());
        Assert.IsTrue(purged.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "VaultDeleted"));
    }

    /// <summary>
    /// What a recovery starts from: the resource activated with the device, what it provisioned checked (and returned),
    /// and its vault deleted out of band.
    /// </summary>
    private static async Task<(FlowResult Flow, ProvisionedSecrets Provisioned, JsonElement Resource)>
        ActivateThenDeleteVaultAsync(InProcessHost host, DeviceAgent device, string name, string customerValue)
    {
        FlowResult flow = await ActivationFlow.RunAsync(host.Api, device, name, customerValue);
        ProvisionedSecrets provisioned = await ProvisionedState.AssertAsync(host.Factory, name, flow.VaultName);
        JsonElement resource = await host.Api.ResourceAsync(name);
        await host.Emulator.Admin.DeleteResourceAsync(resource.GetProperty("vault").GetProperty("id").GetString()!);
        return (flow, provisioned, resource);
    }

    private static async Task<JsonElement> RecoverWithDeviceAsync(EdgeKvApi api, DeviceAgent device, string name,
        object body)
    {
        using HttpResponseMessage started = await api.Http.PostAsJsonAsync($"/api/resources/{name}/recoverVault", body);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string statusUri = (await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!;
        StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "45"), "ChannelIntegrityKey");
        JsonElement final = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Healed", final.GetProperty("customStatus").GetString(), final.ToString());
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        Assert.IsTrue(final.GetProperty("output").GetProperty("healed").GetBoolean(), final.ToString());
        return final;
    }

    /// <summary>
    /// Polls the instance (bounded) until its custom status contains <paramref name="text"/> while it still runs.
    /// </summary>
    private static Task WaitForCustomStatusAsync(EdgeKvApi api, string statusUri, string text) =>
        CrashHarness.WaitUntilAsync(async ct =>
        {
            using HttpResponseMessage response = await api.Http.GetAsync(statusUri, ct);
            string status = await response.Content.ReadAsStringAsync(ct);
            Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode,
                "the instance ended before its status said " + text + ": " + status);
            return JsonDocument.Parse(status).RootElement.TryGetProperty("customStatus", out JsonElement custom)
                && custom.ValueKind == JsonValueKind.String && custom.GetString()!.Contains(text,
                    StringComparison.Ordinal);
        }, $"The status '{text}'");
}
