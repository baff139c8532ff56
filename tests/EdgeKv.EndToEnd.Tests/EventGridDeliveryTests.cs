using System.Text.Json;
using EdgeKv.Azure.EventGrid;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The whole Event Grid path for real: the emulator's subscription handshake and delivery reach the host's webhook.
/// </summary>
[TestClass]
public sealed class EventGridDeliveryTests
{
    [TestMethod]
    public async Task A_real_subscription_handshakes_with_the_webhook_and_its_delivery_of_a_vault_deletion_raises_the_critical_alert()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-grid1");
        JsonElement activated = await api.ActivateAsync("ase-grid1");
        Assert.AreEqual("Completed", activated.GetProperty("runtimeStatus").GetString(), activated.ToString());
        JsonElement resource = await api.ResourceAsync("ase-grid1");
        string resourceGroup = resource.GetProperty("resourceGroup").GetString()!;
        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;

        // Creating the subscription runs the validation handshake against the host's webhook; a refused handshake fails
        // the create.
        EventSubscriptionsClient subscriptions = host.Factory.GetEventSubscriptionsClient();
        var webhook = new Uri(api.BaseAddress,
            $"/api/eventgrid?functionName=VaultEvents&code={HealthFlows.EventGridKey}");
        await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(resourceGroup), "edgekv-vault-events",
            webhook, [EventSubscriptionsClient.ResourceDeleteSuccess]);

        await host.Emulator.Admin.DeleteResourceAsync(vaultId); // a careless user deletes the vault despite its lock
        await sink.WaitForAsync(n => n.TryGetProperty("alerts", out JsonElement alerts)
            && alerts.EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "VaultDeleted"),
                TimeSpan.FromMinutes(3));

        IReadOnlyList<JsonElement> critical = await api.AlertsAsync("?resource=ase-grid1&severity=Critical&state=Active");
        Assert.AreEqual(1, critical.Count, "raised by the delivered event, before any sweep ran");
        Assert.AreEqual("VaultDeleted", critical[0].GetProperty("kind").GetString());
        // The emulator records a delivery once the webhook has answered, which can be just after the alert it raised.
        var deliveries = await host.Emulator.Admin.GetEventDeliveriesAsync();
        for (DateTime until = DateTime.UtcNow.AddMinutes(3); !Accepted(deliveries) && DateTime.UtcNow < until; deliveries = await host.Emulator.Admin.GetEventDeliveriesAsync())
        {
            await Task.Delay(100);
        }

        Assert.IsTrue(Accepted(deliveries),
            "the emulator delivered the deletion and the webhook accepted it: " + string.Join(", ",
                deliveries.Select(d => $"{d.EventType} {d.Status}")));

        static bool Accepted(IEnumerable<EdgeKv.Emulator.Admin.EventDeliveryEntry> list) =>
            list.Any(d => d.EventType == EventSubscriptionsClient.ResourceDeleteSuccess && d.Status == 202);
    }
}
