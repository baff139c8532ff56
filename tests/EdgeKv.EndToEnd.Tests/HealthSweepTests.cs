using System.Net;
using System.Text.Json;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.EndToEnd.Tests;

[TestClass]
public sealed class HealthSweepTests
{
    [TestMethod]
    public async Task Out_of_band_vault_deletion_raises_the_critical_alert_through_Event_Grid_at_once_and_through_the_next_sweep()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-sweep1");
        JsonElement activated = await api.ActivateAsync("ase-sweep1");
        Assert.AreEqual("Completed", activated.GetProperty("runtimeStatus").GetString(), activated.ToString());
        JsonElement resource = await api.ResourceAsync("ase-sweep1");
        string rg = resource.GetProperty("resourceGroup").GetString()!;
        var legacy = await host.Factory.GetEdgeDevicesClient().CreateAsync(rg, "ase-legacy1",
            resource.GetProperty("location").GetString()!);
        await api.CreateResourceAsync("ase-legacy1", new { resourceId = legacy.Id });

        JsonElement healthy = await api.SweepAsync();
        Assert.AreEqual(1, healthy.GetProperty("checked").GetInt32(), healthy.ToString());
        Assert.AreEqual(1, healthy.GetProperty("skipped").GetInt32(),
            "the resource from before vault integration is skipped, not flagged");
        Assert.AreEqual(0, healthy.GetProperty("activeFaults").GetInt32(), healthy.ToString());
        Assert.AreEqual(0, (await api.AlertsAsync()).Count);

        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;
        await host.Emulator.Admin.DeleteResourceAsync(vaultId);
        using (HttpResponseMessage delivered = await api.PostVaultDeletedAsync(vaultId))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, delivered.StatusCode);
        }

        var critical = await api.AlertsAsync("?resource=ase-sweep1&severity=Critical&state=Active");
        Assert.AreEqual(1, critical.Count, "raised at once by the Event Grid function");
        Assert.AreEqual("VaultDeleted", critical[0].GetProperty("kind").GetString());
        StringAssert.Contains(critical[0].GetProperty("healing").GetString(), "/recoverVault");
        await sink.WaitForAsync(n => n.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "VaultDeleted"), TimeSpan.FromMinutes(3));

        string otherVault = vaultId[..vaultId.LastIndexOf('/')] + "/not-ours-kv";
        using (HttpResponseMessage ignored = await api.PostVaultDeletedAsync(otherVault))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, ignored.StatusCode,
                "events for vaults EdgeKv does not manage are acknowledged");
        }

        JsonElement after = await api.SweepAsync();
        Assert.AreEqual(0, after.GetProperty("raised").GetInt32(),
            "the sweep finds the same fault: the alert is updated, not duplicated");
        var alerts = await api.AlertsAsync("?resource=ase-sweep1");
        Assert.AreEqual(1, alerts.Count, string.Join("\n", alerts));
        Assert.AreEqual(2, alerts[0].GetProperty("occurrences").GetInt32());
        StringAssert.Contains(alerts[0].GetProperty("finding").GetString(), "soft-deleted");
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-legacy1")).Count);
    }

    [TestMethod]
    public async Task The_sweep_path_alone_raises_the_critical_alert_and_a_second_start_joins_the_running_sweep()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-sweep2");
        await api.ActivateAsync("ase-sweep2");
        JsonElement resource = await api.ResourceAsync("ase-sweep2");
        await host.Emulator.Admin.DeleteResourceAsync(resource.GetProperty("vault").GetProperty("id").GetString()!);

        JsonElement summary = await api.SweepAsync();
        Assert.AreEqual(1, summary.GetProperty("raised").GetInt32(), summary.ToString());
        var critical = (await api.AlertsAsync("?severity=Critical")).Active("VaultDeleted");
        Assert.AreEqual(1, critical.Count);
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "AlertsChanged", TimeSpan.FromMinutes(3));
    }

    [TestMethod]
    public async Task A_removed_lock_and_diagnostic_setting_are_flagged_a_group_lock_protects_the_vault_and_repairs_resolve_them()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync("ase-sweep3");
        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;
        string group = $"/subscriptions/{host.Factory.Options.SubscriptionId}/resourceGroups/{resource.GetProperty("resourceGroup").GetString()}";
        await host.Emulator.Admin.DeleteResourceAsync($"{vaultId}/providers/Microsoft.Authorization/locks/edgekv-vault-lock");
        await host.Emulator.Admin.DeleteResourceAsync($"{vaultId}/providers/Microsoft.Insights/diagnosticSettings/edgekv-audit");

        await api.SweepAsync();
        var active = await api.AlertsAsync("?resource=ase-sweep3&state=Active");
        CollectionAssert.AreEquivalent(new[] { "VaultLockMissing", "DiagnosticSettingMissing" },
            active.Select(a => a.GetProperty("kind").GetString()).ToArray());
        Assert.IsTrue(active.All(a => a.GetProperty("severity").GetString() == "Warning"));

        // A delete lock on the resource group protects the vault as well.
        var locks = host.Factory.GetManagementLocksClient();
        await locks.CreateOrUpdateAsync(group, "group-keep", "CanNotDelete");
        await api.SweepAsync();
        CollectionAssert.AreEqual(new[] { "DiagnosticSettingMissing" },
            (await api.AlertsAsync("?resource=ase-sweep3&state=Active")).Select(a => a.GetProperty("kind").GetString()).ToArray());

        await locks.DeleteAsync(group, "group-keep");
        await locks.CreateOrUpdateAsync(vaultId, "edgekv-vault-lock", "CanNotDelete");
        string storageId = resource.GetProperty("auditStorageAccountId").GetString()!;
        await host.Factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vaultId, "edgekv-audit", storageId,
            ["AuditEvent"]);
        JsonElement healed = await api.SweepAsync();
        Assert.AreEqual(0, healed.GetProperty("activeFaults").GetInt32(), healed.ToString());
        Assert.IsEmpty(await api.AlertsAsync("?resource=ase-sweep3&state=Active"),
            "a sweep that no longer finds the faults resolves them");
    }

    [TestMethod]
    public async Task Deleted_audit_storage_and_a_deleted_then_recreated_identity_are_each_flagged_as_what_they_are()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync("ase-sweep4");
        string deviceId = resource.GetProperty("resourceId").GetString()!;
        await host.Emulator.Admin.DeleteResourceAsync(resource.GetProperty("auditStorageAccountId").GetString()!);
        await host.Emulator.Admin.DeleteIdentityAsync(deviceId);

        await api.SweepAsync();
        var first = await api.AlertsAsync("?resource=ase-sweep4&state=Active");
        CollectionAssert.AreEquivalent(new[] { "AuditStorageMissing", "IdentityDisabled" },
            first.Select(a => a.GetProperty("kind").GetString()).ToArray());
        Assert.AreEqual("Error", first.Active("IdentityDisabled")[0].GetProperty("severity").GetString());

        // Turned on again, the identity is a new principal: the vault's access policy still names the old one.
        var recreated = await host.Factory.GetEdgeDevicesClient().SetIdentityEnabledAsync(resource.GetProperty("resourceGroup").GetString()!, "ase-sweep4", enabled: true);
        Assert.AreNotEqual(resource.GetProperty("principalId").GetGuid(), recreated.PrincipalId);
        await api.SweepAsync();
        var second = await api.AlertsAsync("?resource=ase-sweep4&state=Active");
        CollectionAssert.AreEquivalent(new[] { "AuditStorageMissing", "IdentityMissing" },
            second.Select(a => a.GetProperty("kind").GetString()).ToArray());
        StringAssert.Contains(second.Active("IdentityMissing")[0].GetProperty("finding").GetString(),
            recreated.PrincipalId.ToString());
        StringAssert.Contains(second.Active("IdentityMissing")[0].GetProperty("healing").GetString(),
            "/recoverIdentityAccess");
    }

    [TestMethod]
    public async Task Throttling_and_server_errors_during_a_sweep_raise_no_false_alert()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        foreach (string name in new[] { "ase-flaky1", "ase-flaky2",
            "ase-flaky3" }) await api.ActivatedResourceAsync(name);
        EmulatorAdminClient admin = host.Emulator.Admin;
        const string armAndDataPlane = "^/(subscriptions|vaults)/";
        await admin.AddFaultAsync(new FaultRule(armAndDataPlane, FaultKind.Throttle, 0.2, Method: "GET",
            RetryAfterSeconds: 1));
        await admin.AddFaultAsync(new FaultRule(armAndDataPlane, FaultKind.InternalError, 0.1, Method: "GET"));
        await admin.ClearRequestsAsync();

        JsonElement summary = await api.SweepAsync();

        int injected = (await admin.GetRequestsAsync()).Count(r => r.Status is 429 or 500);
        await admin.ClearFaultsAsync();
        Assert.IsGreaterThan(0, injected, "faults were injected");
        Assert.AreEqual(3, summary.GetProperty("checked").GetInt32(), summary.ToString());
        Assert.AreEqual(0, summary.GetProperty("activeFaults").GetInt32(),
            "a refused or failed read is retried, never taken for a missing resource: " + summary);
        Assert.IsEmpty(await api.AlertsAsync());
    }

    [TestMethod]
    public async Task The_Event_Grid_endpoint_refuses_requests_without_the_key_and_malformed_batches()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        using HttpResponseMessage noKey = await host.Api.PostVaultDeletedAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", key: null);
        Assert.AreEqual(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using HttpResponseMessage malformed = await host.Api.PostEventsAsync("[{\"id\":");
        Assert.AreEqual(HttpStatusCode.BadRequest, malformed.StatusCode);
        using HttpResponseMessage handshake = await host.Api.PostEventsAsync(
            """[{"id":"v1","topic":"/subscriptions/s","subject":"","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-03-01T10:00:00Z","dataVersion":"1","data":{"validationCode":"code-123"}}]""",
            eventType: "SubscriptionValidation");
        Assert.AreEqual(HttpStatusCode.OK, handshake.StatusCode);
        StringAssert.Contains(await handshake.Content.ReadAsStringAsync(), "code-123");
    }
}
