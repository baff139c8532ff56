using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Azure.Vaults;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// A fleet as real ones are: Azure Stack Edge resources in three resource groups of two subscriptions, adopted by ARM
/// id, with EdgeKv holding its roles on the whole subscriptions (infra/fleet-roles.bicep). Each vault, audit storage
/// account, lock and diagnostic setting lands beside its resource, in its own subscription and group; a sweep finds no
/// fault; a vault deleted in the second subscription is reported by that subscription's events, found by the sweep and
/// recovered in the same place.
/// </summary>
[TestClass]
public sealed class FleetEndToEndTests
{
    private const string SecondSubscription = "00000000-0000-4000-8000-0000000000f2";

    [TestMethod]
    [Timeout(1_800_000, CooperativeCancellation = true)]
    public async Task A_fleet_across_two_subscriptions_and_three_groups_is_activated_beside_each_resource_swept_clean_and_healed_in_place()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:Azure:EmulatorFleetSubscriptions:0", SecondSubscription]);
        EdgeKvApi api = host.Api;
        string home = host.Emulator.SubscriptionId;
        string location = host.Emulator.DefaultLocation;

        // EdgeKv's own group, another group of its subscription, and a group of the second subscription: the last two
        // made by their own teams (a Contributor there), then adopted by ARM id.
        (string Name, string Subscription, string Group)[] fleet =
        [
            ("ase-home", home, ProvisionedState.ResourceGroup),
            ("ase-east", home, "fleet-east"),
            ("ase-west", SecondSubscription, "fleet-west"),
        ];
        await api.CreateResourceAsync("ase-home");
        foreach ((string name, string subscription, string group) in fleet.Skip(1))
        {
            await host.Contributor.GetResourceGroupsClient(subscriptionId: subscription).CreateOrUpdateAsync(group,
                location);
            var device = await host.Contributor.GetEdgeDevicesClient(subscriptionId: subscription).CreateAsync(group,
                name, location);
            JsonElement adopted = await api.CreateResourceAsync(name, new { resourceId = device.Id });
            Assert.AreEqual(subscription, adopted.GetProperty("subscriptionId").GetString());
            Assert.AreEqual(group, adopted.GetProperty("resourceGroup").GetString());
        }

        var devices = new Dictionary<string, DeviceAgent>();
        var vaultNames = new Dictionary<string, string>();
        var secrets = new Dictionary<string, ProvisionedSecrets>();
        using var deviceData = new TempDirectory("e2e-fleet-devices");
        foreach ((string name, string subscription, string group) in fleet)
        {
            devices[name] = new DeviceAgent(Path.Combine(deviceData.Path, name));
            JsonElement status = await api.ActivateAsync(name);
            FlowResult flow = await ActivationFlow.FinishAsync(api, devices[name], name, $"customer-value-{name}",
                status);
            vaultNames[name] = flow.VaultName;

            // Read back through Resource Manager where the seed says it goes: the resource's own subscription and
            // group.
            VaultProperties vault = await host.Factory.GetVaultsClient(subscriptionId: subscription).GetAsync(group,
                flow.VaultName);
            StringAssert.StartsWith(vault.Id,
                $"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/",
                StringComparison.OrdinalIgnoreCase);
            secrets[name] = await ProvisionedState.AssertAsync(host.Factory, name, flow.VaultName, subscription, group);
            JsonElement record = await api.ResourceAsync(name);
            StringAssert.StartsWith(record.GetProperty("auditStorageAccountId").GetString(),
                $"/subscriptions/{subscription}/resourceGroups/{group}/", StringComparison.OrdinalIgnoreCase);
        }

        // Nothing landed in EdgeKv's own group that belongs elsewhere.
        Assert.AreEqual(1, (await host.Factory.GetVaultsClient().ListAsync(ProvisionedState.ResourceGroup)).Count,
            "only ase-home's vault in EdgeKv's group");
        Assert.AreEqual(0, (await host.Factory.GetVaultsClient(subscriptionId: SecondSubscription).ListAsync(ProvisionedState.ResourceGroup)).Count);

        JsonElement swept = await api.SweepAsync();
        Assert.AreEqual(3, swept.GetProperty("checked").GetInt32(), swept.ToString());
        Assert.AreEqual(0, swept.GetProperty("activeFaults").GetInt32(),
            "no false alert for resources outside EdgeKv's group: " + swept);
        Assert.AreEqual(0, (await api.AlertsAsync("?state=Active")).Count);

        // The second subscription's Resource Manager events reach the webhook through an event subscription on that
        // subscription (infra/fleet-events.bicep), whichever group the vault is in.
        (string westName, string westSubscription, string westGroup) = fleet[2];
        EventSubscriptionsClient events = host.Factory.GetEventSubscriptionsClient(subscriptionId: westSubscription);
        var webhook = new Uri(api.BaseAddress,
            $"/api/eventgrid?functionName=VaultEvents&code={HealthFlows.EventGridKey}");
        await events.CreateOrUpdateWebhookAsync(events.Scope(), "edgekv-fleet-vaults", webhook,
            [EventSubscriptionsClient.ResourceDeleteSuccess, EventSubscriptionsClient.ResourceWriteSuccess]);

        // Its vault is deleted behind EdgeKv's back: the event raises the alert, the sweep agrees, and recovery brings
        // the vault back in its own subscription and group, with the device's secrets.
        string westVaultId = (await api.ResourceAsync(westName)).GetProperty("vault").GetProperty("id").GetString()!;
        await host.Emulator.Admin.DeleteResourceAsync(westVaultId);
        await sink.WaitForAsync(n => n.TryGetProperty("alerts", out JsonElement alerts)
            && alerts.EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "VaultDeleted"),
                TimeSpan.FromMinutes(3));
        JsonElement found = await api.SweepAsync();
        Assert.AreEqual(1, found.GetProperty("activeFaults").GetInt32(), found.ToString());
        IReadOnlyList<JsonElement> deleted = (await api.AlertsAsync("?state=Active")).Active("VaultDeleted");
        Assert.AreEqual(1, deleted.Count);
        Assert.AreEqual(westName, deleted[0].GetProperty("resource").GetString());
        StringAssert.Contains(deleted[0].GetProperty("finding").GetString(), "recoverable until",
            "the sweep found it among the second subscription's deleted vaults");

        using (HttpResponseMessage started = await api.Http.PostAsJsonAsync($"/api/resources/{westName}/recoverVault",
            new { }))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
            string statusUri = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
            StringAssert.Contains(await devices[westName].RunOkAsync("sync", "--wait", "45"), "ChannelIntegrityKey");
            JsonElement final = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
            Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
            Assert.IsTrue(final.GetProperty("output").GetProperty("healed").GetBoolean(), final.ToString());
        }

        VaultProperties recovered = await host.Factory.GetVaultsClient(subscriptionId: westSubscription).GetAsync(westGroup, vaultNames[westName]);
        Assert.AreEqual(westVaultId, recovered.Id, ignoreCase: true, "recovered where it was");
        Assert.AreEqual(secrets[westName],
            await ProvisionedState.AssertAsync(host.Factory, westName, vaultNames[westName], westSubscription,
                westGroup));
        JsonElement healed = await api.SweepAsync();
        Assert.AreEqual(0, healed.GetProperty("activeFaults").GetInt32(), healed.ToString());
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Adopting_by_an_id_EdgeKv_cannot_use_is_refused_in_Azures_shape_and_records_nothing()
    {
        // EdgeKv's roles on its own group only (no fleet subscriptions): another group is out of its reach.
        await using InProcessHost host = await InProcessHost.StartAsync();
        string home = host.Emulator.SubscriptionId;
        string location = host.Emulator.DefaultLocation;
        await host.Contributor.GetResourceGroupsClient().CreateOrUpdateAsync("elsewhere", location);
        var elsewhere = await host.Contributor.GetEdgeDevicesClient().CreateAsync("elsewhere", "ase-far", location);

        (string Name, string Id, HttpStatusCode[] Status, string? Code)[] refused =
        [
            ("ase-far", "/subscriptions/not-a-guid/resourceGroups/g1/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-far", [HttpStatusCode.BadRequest], "InvalidResourceId"),
            ("ase-far", $"/subscriptions/{home}/resourceGroups/g1/providers/Microsoft.KeyVault/vaults/ase-far",
                [HttpStatusCode.BadRequest], "InvalidResourceId"),
            ("ase-far", $"/subscriptions/{home}/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-far",
                [HttpStatusCode.BadRequest], "InvalidResourceId"),
            ("ase-far", "not an id", [HttpStatusCode.BadRequest], "InvalidResourceId"),
            // Resource Manager's own answers, passed on: no role in that group; no such subscription.
            ("ase-far", elsewhere.Id, [HttpStatusCode.Forbidden], "AuthorizationFailed"),
            ("ase-far", $"/subscriptions/{Guid.NewGuid()}/resourceGroups/g1/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/ase-far", [HttpStatusCode.Forbidden, HttpStatusCode.NotFound], null),
        ];
        foreach ((string name, string id, HttpStatusCode[] status, string? code) in refused)
        {
            using HttpResponseMessage response = await host.Api.Http.PutAsJsonAsync($"/api/resources/{name}",
                new { resourceId = id });
            string body = await response.Content.ReadAsStringAsync();
            CollectionAssert.Contains(status, response.StatusCode, $"{id}: {body}");
            JsonElement error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.IsFalse(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
            if (code is not null) Assert.AreEqual(code, error.GetProperty("code").GetString(), body);
        }

        using (HttpResponseMessage get = await host.Api.Http.GetAsync("/api/resources/ase-far"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, get.StatusCode, "nothing recorded");
        }

        // A name EdgeKv already manages does not adopt another resource.
        var mine = await host.Factory.GetEdgeDevicesClient().CreateAsync(ProvisionedState.ResourceGroup, "ase-near",
            location);
        await host.Api.CreateResourceAsync("ase-near", new { resourceId = mine.Id });
        using (HttpResponseMessage other = await host.Api.Http.PutAsJsonAsync("/api/resources/ase-near",
            new { resourceId = elsewhere.Id }))
        {
            Assert.AreEqual(HttpStatusCode.Conflict, other.StatusCode, await other.Content.ReadAsStringAsync());
        }

        Assert.AreEqual(mine.Id, (await host.Api.ResourceAsync("ase-near")).GetProperty("resourceId").GetString(),
            ignoreCase: true);
    }
}
