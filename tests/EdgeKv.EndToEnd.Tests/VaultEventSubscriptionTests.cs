using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Activation subscribes EdgeKv's webhook to each new vault's own events; Key Vault's near-expiry and expiry events
/// (the emulator's expiry check, run through its admin API) raise their alerts before any sweep; the sweep resolves
/// them once the secrets are renewed or deleted; deleting the resource removes the subscription.
/// </summary>
[TestClass]
public sealed class VaultEventSubscriptionTests
{
    private const string Resource = "ase-vev1";
    private const string SubscriptionName = "edgekv-vault-events";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task A_secret_nearing_its_expiry_raises_an_alert_through_the_vaults_own_event_subscription_made_by_activation()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:VaultEvents:WebhookKey", HealthFlows.EventGridKey,
            "--timers:HealthSweepTimer:Disabled", "true"]);
        EdgeKvApi api = host.Api;
        JsonElement resource = await api.ActivatedResourceAsync(Resource);
        Assert.AreEqual(0, resource.GetProperty("activationWarnings").GetArrayLength(), resource.ToString());
        string vaultId = resource.GetProperty("vault").GetProperty("id").GetString()!;
        EventSubscriptionsClient subscriptions = host.Factory.GetEventSubscriptionsClient();
        EventSubscription subscription = await subscriptions.GetAsync(vaultId, SubscriptionName);
        CollectionAssert.AreEquivalent(new[] { EventSubscriptionsClient.VaultAccessPolicyChanged,
            "Microsoft.KeyVault.SecretNearExpiry", "Microsoft.KeyVault.SecretExpired" },
            subscription.IncludedEventTypes.ToArray());
        Assert.AreEqual(vaultId, subscription.Topic, StringComparer.OrdinalIgnoreCase, "scoped to the vault");

        // One customer secret within Key Vault's 30 days of its expiry, one already past it.
        using (HttpResponseMessage put = await api.Http.PutAsJsonAsync($"/api/resources/{Resource}/customerSecrets/share-soon",
            new { value = "soon-value-61a", expiresOn = DateTimeOffset.UtcNow.AddDays(10).ToString("O") }))
        {
            Assert.AreEqual(HttpStatusCode.OK, put.StatusCode, await put.Content.ReadAsStringAsync());
        }

        SecretClient vault = host.Factory.CreateSecretClient(new Uri(resource.GetProperty("vault").GetProperty("uri").GetString()!), host.Factory.Credential);
        await vault.SetSecretAsync(new KeyVaultSecret("share-gone",
            "gone-value-61b") { Properties = { ExpiresOn = DateTimeOffset.UtcNow.AddHours(-1) } });

        (int near, int expired) = await host.Emulator.Admin.RunSecretExpiryCheckAsync();
        Assert.AreEqual((1, 1), (near, expired), "the CIK (180 days) is not near its expiry");
        Assert.AreEqual((0, 0), await host.Emulator.Admin.RunSecretExpiryCheckAsync(), "once per version");

        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "AlertsChanged" && n.GetProperty("resource").GetString() == Resource
            && n.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "SecretExpired"),
                TimeSpan.FromMinutes(3));
        await sink.WaitForAsync(n => n.GetProperty("kind").GetString() == "AlertsChanged" && n.GetProperty("resource").GetString() == Resource
            && n.GetProperty("alerts").EnumerateArray().Any(a => a.GetProperty("kind").GetString() == "SecretNearExpiry"), TimeSpan.FromMinutes(3));
        IReadOnlyList<JsonElement> alerts = await api.AlertsAsync($"?resource={Resource}");
        StringAssert.Contains(alerts.Active("SecretNearExpiry").Single().GetProperty("finding").GetString(),
            "'share-soon'");
        JsonElement gone = alerts.Active("SecretExpired").Single();
        StringAssert.Contains(gone.GetProperty("finding").GetString(), "'share-gone'");
        Assert.AreEqual("Error", gone.GetProperty("severity").GetString());
        using (HttpResponseMessage sweep = await api.Http.GetAsync("/api/durabletask/instances/health-sweep"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, sweep.StatusCode,
                "raised by the delivered events: no sweep has run");
        }

        Assert.IsTrue((await host.Emulator.Admin.GetEventDeliveriesAsync(SubscriptionName)).Count(d => d.Status is >= 200 and < 300) >= 3, "handshake and two events delivered");

        // Renewed and deleted: the sweep resolves both.
        using (HttpResponseMessage renew = await api.Http.PutAsJsonAsync($"/api/resources/{Resource}/customerSecrets/share-soon",
            new { value = "soon-value-61c", expiresOn = DateTimeOffset.UtcNow.AddDays(400).ToString("O") }))
        {
            Assert.AreEqual(HttpStatusCode.OK, renew.StatusCode, await renew.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage deleted = await api.Http.DeleteAsync($"/api/resources/{Resource}/customerSecrets/share-gone"))
        {
            Assert.AreEqual(HttpStatusCode.OK, deleted.StatusCode, await deleted.Content.ReadAsStringAsync());
        }

        await api.SweepAsync();
        alerts = await api.AlertsAsync($"?resource={Resource}");
        Assert.IsEmpty(alerts.Active("SecretNearExpiry"));
        Assert.IsEmpty(alerts.Active("SecretExpired"));

        // The resource deleted (its vault kept): EdgeKv's subscription on the vault goes with it.
        using HttpResponseMessage started = await api.Http.DeleteAsync($"/api/resources/{Resource}?confirm={Resource}&deleteVault=No");
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        JsonElement final = await api.PollAsync((await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        RequestFailedException missing = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => subscriptions.GetAsync(vaultId, SubscriptionName));
        Assert.AreEqual(404, missing.Status);

        var needles = SecretScan.Needles(new Dictionary<string, string> { ["webhook key"] = HealthFlows.EventGridKey });
        SecretScan.AssertAbsentInText("the activation's status", [final.ToString()], needles);
        TestContext.WriteLine($"Subscription {subscription.Id}: {near} near-expiry and {expired} expired event(s) turned into alerts.");
    }
}
