using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// A management-plane contributor grants itself data-plane access on a vault EdgeKv manages, out of band, through
/// Resource Manager with the real SDK. Event Grid (a subscription on the vault, as Azure requires for Key Vault's
/// events) reports it before any sweep; with the event lost, the sweep finds it; the security team removes or accepts
/// it.
/// </summary>
[TestClass]
public sealed class AccessPolicyDriftTests
{
    private const string DriftKind = "AccessPolicyNotGrantedByEdgeKv";

    [TestMethod]
    public async Task A_self_granted_access_policy_alerts_through_Event_Grid_before_any_sweep_and_the_heal_removes_it()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync("ase-drift1");
        (string group, string vaultName, string vaultId) = VaultOf(resource);
        await SubscribeToAccessPolicyChangesAsync(host, vaultId);

        Guid intruder = await GrantSelfAsync(host, group, vaultName);

        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "AlertsChanged" && n.GetProperty("resource").GetString() == "ase-drift1"
            && n.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("kind").GetString() == DriftKind),
                TimeSpan.FromMinutes(3));
        IReadOnlyList<JsonElement> active = (await api.AlertsAsync("?resource=ase-drift1&state=Active")).Active(DriftKind);
        Assert.AreEqual(1, active.Count);
        StringAssert.Contains(active[0].GetProperty("finding").GetString(), intruder.ToString());
        Assert.AreEqual((intruder.ToString(), "Security"),
            (active[0].GetProperty("principal").GetString(), active[0].GetProperty("category").GetString()),
            "one alert per flagged principal, about it");
        using (HttpResponseMessage sweep = await api.Http.GetAsync("/api/durabletask/instances/health-sweep"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, sweep.StatusCode,
                "raised by the delivered event: no sweep has run");
        }

        Assert.IsTrue((await host.Emulator.Admin.GetEventDeliveriesAsync("edgekv-access-policies"))
            .Any(d => d.EventType == EventSubscriptionsClient.VaultAccessPolicyChanged && d.Status == 202));

        JsonElement healed = await api.HealAsync($"/api/resources/ase-drift1/accessPolicies/{intruder}/remove");

        Assert.AreEqual("Completed", healed.GetProperty("runtimeStatus").GetString(), healed.ToString());
        VaultProperties vault = await host.Factory.GetVaultsClient().GetAsync(group, vaultName);
        Assert.IsFalse(vault.AccessPolicies.Any(p => p.ObjectId == intruder.ToString()), "the heal removed the entry");
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-drift1&state=Active")).Active(DriftKind).Count);
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
    }

    [TestMethod]
    public async Task With_the_event_lost_a_sweep_raises_the_alert_and_accepting_the_entry_is_audited_and_clears_it()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync("ase-drift2");
        (string group, string vaultName, string vaultId) = VaultOf(resource);
        await SubscribeToAccessPolicyChangesAsync(host, vaultId);
        await host.Emulator.Admin.SetEventDeliveryPausedAsync(true);

        Guid intruder = await GrantSelfAsync(host, group, vaultName);

        Assert.IsTrue((await host.Emulator.Admin.GetEventDeliveriesAsync("edgekv-access-policies"))
            .Any(d => d.EventType == EventSubscriptionsClient.VaultAccessPolicyChanged && d.Outcome == "Lost"),
                "the event was lost");
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-drift2&state=Active")).Active(DriftKind).Count,
            "nothing told EdgeKv yet");
        await api.SweepAsync();
        IReadOnlyList<JsonElement> active = (await api.AlertsAsync("?resource=ase-drift2&state=Active")).Active(DriftKind);
        Assert.AreEqual(1, active.Count, "the sweep found it");
        StringAssert.Contains(active[0].GetProperty("finding").GetString(), intruder.ToString());

        using HttpResponseMessage accepted = await api.Http.PostAsync($"/api/resources/ase-drift2/accessPolicies/{intruder}/accept", null);

        Assert.AreEqual(HttpStatusCode.OK, accepted.StatusCode, await accepted.Content.ReadAsStringAsync());
        Assert.AreEqual(0, (await api.AlertsAsync("?resource=ase-drift2&state=Active")).Active(DriftKind).Count);
        JsonElement audit = await api.Http.GetFromJsonAsync<JsonElement>("/api/audit?operation=AccessPolicyAccepted&resource=ase-drift2");
        JsonElement record = audit.GetProperty("value").EnumerateArray().Single();
        Assert.AreEqual($"accessPolicy:{intruder}", record.GetProperty("secretName").GetString());
        Assert.AreEqual("Succeeded", record.GetProperty("result").GetString());
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32(),
            "an accepted entry no longer alerts");
        JsonElement policies = await api.Http.GetFromJsonAsync<JsonElement>("/api/resources/ase-drift2/security/accessPolicies");
        JsonElement view = policies.GetProperty("value").EnumerateArray().Single(p => p.GetProperty("objectId").GetString() == intruder.ToString());
        Assert.IsFalse(view.GetProperty("flagged").GetBoolean());
        Assert.IsFalse(string.IsNullOrEmpty(view.GetProperty("acceptedBy").GetString()));
    }

    /// <summary>
    /// EdgeKv's webhook subscribed to the vault's access-policy changes (a subscription on the vault, as Azure requires
    /// for Key Vault's events).
    /// </summary>
    private static async Task SubscribeToAccessPolicyChangesAsync(InProcessHost host, string vaultId) =>
        await host.Factory.GetEventSubscriptionsClient().CreateOrUpdateWebhookAsync(vaultId, "edgekv-access-policies",
            new Uri(host.Api.BaseAddress, $"/api/eventgrid?functionName=VaultEvents&code={HealthFlows.EventGridKey}"),
            [EventSubscriptionsClient.VaultAccessPolicyChanged]);

    private static (string Group, string VaultName, string VaultId) VaultOf(JsonElement resource) =>
        (resource.GetProperty("resourceGroup").GetString()!,
            resource.GetProperty("vault").GetProperty("name").GetString()!,
            resource.GetProperty("vault").GetProperty("id").GetString()!);

    /// <summary>
    /// The emulator's subscription contributor adds itself Get and List on secrets, through Resource Manager with the
    /// real SDK.
    /// </summary>
    private static async Task<Guid> GrantSelfAsync(InProcessHost host, string group, string vaultName)
    {
        EmulatorPrincipal contributor = host.Emulator.GetPrincipal(EmulatorPrincipals.Contributor);
        using var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = host.Emulator.SubscriptionId,
            TenantId = host.Emulator.TenantId,
            EmulatorEndpoint = host.Emulator.Endpoint,
            EmulatorCertificateThumbprint = host.Emulator.CertificateThumbprint,
            ClientId = contributor.ClientId.ToString(),
            ClientSecret = contributor.ClientSecret,
            MaxRetries = 3,
        });
        await factory.GetVaultsClient().UpdateAccessPoliciesAsync(group, vaultName, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(host.Emulator.TenantId, contributor.ObjectId.ToString(), ["get", "list"])]);
        return contributor.ObjectId;
    }
}
