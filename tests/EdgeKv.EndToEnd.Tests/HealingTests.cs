using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

[TestClass]
public sealed class HealingTests
{
    [TestMethod]
    public async Task Removing_the_identitys_access_policy_raises_an_alert_and_recover_identity_access_clears_it()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-ident1");
        await api.ActivateAsync("ase-ident1");
        JsonElement resource = await api.ResourceAsync("ase-ident1");
        Guid principal = resource.GetProperty("principalId").GetGuid();
        await host.Emulator.Admin.RemoveAccessPolicyAsync(resource.GetProperty("vault").GetProperty("id").GetString()!,
            principal);

        await api.SweepAsync();
        var raised = (await api.AlertsAsync("?resource=ase-ident1&state=Active")).Active("IdentityAccessMissing");
        Assert.AreEqual(1, raised.Count);
        Assert.AreEqual("Error", raised[0].GetProperty("severity").GetString());

        JsonElement healed = await api.HealAsync("/api/resources/ase-ident1/recoverIdentityAccess");
        Assert.AreEqual("Completed", healed.GetProperty("runtimeStatus").GetString(), healed.ToString());
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-ident1&state=Active")).Count);
        Assert.AreEqual("Resolved",
            (await api.AlertsAsync("?resource=ase-ident1"))[0].GetProperty("state").GetString());
        var vault = await host.Factory.GetVaultsClient().GetAsync(resource.GetProperty("resourceGroup").GetString()!,
            resource.GetProperty("vault").GetProperty("name").GetString()!);
        var entry = vault.AccessPolicies.Single(p => p.ObjectId == principal.ToString());
        CollectionAssert.AreEquivalent(new[] { "get", "set" },
            entry.Secrets.Select(s => s.ToLowerInvariant()).ToArray());
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "FlowCompleted" && n.GetProperty("resource").GetString() == "ase-ident1", TimeSpan.FromMinutes(3));
    }

    [TestMethod]
    public async Task A_device_refused_by_its_vault_raises_the_identity_alert_at_once_without_waiting_for_a_sweep()
    {
        using var sink = new NotificationSink();
        using var deviceData = new EdgeKv.Tests.Support.TempDirectory("e2e-refused-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync("ase-ident3");
        await device.RunOkAsync("activate", "--key", await api.FetchKeyAsync("ase-ident3"));
        await host.Emulator.Admin.RemoveAccessPolicyAsync(resource.GetProperty("vault").GetProperty("id").GetString()!,
            resource.GetProperty("principalId").GetGuid());

        (int code, _, string error) = await device.RunAsync("push-secrets");

        Assert.AreNotEqual(0, code);
        StringAssert.Contains(error, "recover identity access");
        var raised = (await api.AlertsAsync("?resource=ase-ident3&state=Active")).Active("IdentityAccessMissing");
        Assert.AreEqual(1, raised.Count, "raised by the refused push, before any sweep");
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "AlertsChanged" && n.GetProperty("resource").GetString() == "ase-ident3", TimeSpan.FromMinutes(3));
        (code, _, _) = await device.RunAsync("push-secrets");
        Assert.AreNotEqual(0, code);
        Assert.AreEqual(1, (await api.AlertsAsync("?resource=ase-ident3")).Count,
            "a second refusal updates the same alert");

        await api.HealAsync("/api/resources/ase-ident3/recoverIdentityAccess");
        await device.RunOkAsync("push-secrets");
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-ident3&state=Active")).Count);
    }

    [TestMethod]
    public async Task A_disabled_identity_is_flagged_and_enabled_again_by_recover_identity_access()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-ident2");
        await api.ActivateAsync("ase-ident2");
        JsonElement resource = await api.ResourceAsync("ase-ident2");
        await host.Emulator.Admin.DisableIdentityAsync(resource.GetProperty("resourceId").GetString()!);

        await api.SweepAsync();
        Assert.AreEqual(1, (await api.AlertsAsync("?resource=ase-ident2")).Active("IdentityDisabled").Count);
        JsonElement healed = await api.HealAsync("/api/resources/ase-ident2/recoverIdentityAccess");
        Assert.AreEqual("Completed", healed.GetProperty("runtimeStatus").GetString(), healed.ToString());
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
    }
}
