using Azure;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Azure.Tests.KeyVault;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.EventGrid;

[TestClass]
public sealed class EventGridDeliveryTests
{
    private static RunningEmulator emulator = null!;
    private static EdgeKvAzureClientFactory factory = null!;
    private static EventSubscriptionsClient subscriptions = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        emulator = await TestEmulator.StartAsync(o => { o.EventDeliveryMaxAttempts = 3; o.EventDeliveryRetryDelay = TimeSpan.FromMilliseconds(20); });
        factory = TestEmulator.Factory(emulator);
        subscriptions = factory.GetEventSubscriptionsClient();
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await TestEmulator.StopAsync(emulator);

    [TestMethod]
    public async Task EventGridSchema_HandshakeFirst_ThenVaultDeletionIsDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var group = TestEmulator.UniqueName("rg-eg-");
        var vault = await DataPlaneVaults.CreateAsync(emulator, group, TestEmulator.UniqueName("kv-eg-"));

        var subscription = await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(group), "vault-deleted",
            receiver.Url,
            [EventSubscriptionsClient.ResourceDeleteSuccess]);
        var handshake = await receiver.NextAsync(_ => true);
        await factory.GetVaultsClient().DeleteAsync(group, vault.Name);
        var notification = await receiver.NextAsync(r => r.Kind == "Notification");

        Assert.AreEqual("Succeeded", subscription.ProvisioningState);
        Assert.AreEqual(receiver.Url.GetLeftPart(UriPartial.Path), subscription.EndpointBaseUrl);
        Assert.AreEqual("SubscriptionValidation", handshake.Kind);
        Assert.AreEqual("?code=functions-system-key", notification.Query);
        var e = EventGridEvent.ParseMany(BinaryData.FromString(notification.Body)).Single();
        Assert.AreEqual(EventSubscriptionsClient.ResourceDeleteSuccess, e.EventType);
        Assert.AreEqual(vault.Id, e.Subject);
        Assert.AreEqual(subscriptions.Scope(group), e.Topic);
        Assert.IsTrue(e.TryGetSystemEventData(out var data));
        var deleted = (ResourceDeleteSuccessEventData)data;
        Assert.AreEqual(vault.Id, deleted.ResourceUri);
        Assert.AreEqual("Microsoft.KeyVault/vaults/delete", deleted.OperationName);
        Assert.AreEqual("Microsoft.KeyVault", deleted.ResourceProvider);
        Assert.AreEqual("Succeeded", deleted.Status);
    }

    [TestMethod]
    public async Task CloudEventsSchema_SubscriptionScope_ReceivesResourceWrites()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(), "writes-ce", receiver.Url,
            [EventSubscriptionsClient.ResourceWriteSuccess],
            EventDeliverySchema.CloudEventSchemaV1_0);
        try
        {
            var handshake = await receiver.NextAsync(_ => true);
            var group = TestEmulator.UniqueName("rg-ce-");
            await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, emulator.DefaultLocation);
            var notification = await receiver.NextAsync(r => r.Kind == "Notification" && r.Body.Contains(group,
                StringComparison.Ordinal));

            Assert.AreEqual("SubscriptionValidation", handshake.Kind);
            StringAssert.StartsWith(notification.ContentType, "application/cloudevents+json");
            var cloudEvent = CloudEvent.Parse(BinaryData.FromString(notification.Body))!;
            Assert.AreEqual(EventSubscriptionsClient.ResourceWriteSuccess, cloudEvent.Type);
            Assert.AreEqual(subscriptions.Scope(), cloudEvent.Source);
            Assert.IsTrue(cloudEvent.TryGetSystemEventData(out var data));
            Assert.AreEqual(subscriptions.Scope(group), ((ResourceWriteSuccessEventData)data).ResourceUri);
        }
        finally
        {
            await subscriptions.DeleteAsync(subscriptions.Scope(), "writes-ce");
        }
    }

    [TestMethod]
    public async Task FailedHandshake_RefusesTheSubscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AcceptValidation = false;
        var group = TestEmulator.UniqueName("rg-hs-");
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(group, emulator.DefaultLocation);

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(group), "bad", receiver.Url));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("Url validation", error.ErrorCode);
        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => subscriptions.GetAsync(subscriptions.Scope(group), "bad"))).Status);
        Assert.AreEqual("ValidationFailed", (await emulator.Admin.GetEventDeliveriesAsync("bad")).Single().Outcome);
    }

    [TestMethod]
    public async Task FailingReceiver_IsRetriedWithBackoff_AndEachAttemptIsLogged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var group = TestEmulator.UniqueName("rg-retry-");
        var vault = await DataPlaneVaults.CreateAsync(emulator, group, TestEmulator.UniqueName("kv-retry-"));
        await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(group), "retried", receiver.Url,
            [EventSubscriptionsClient.ResourceDeleteSuccess]);
        receiver.FailNext(2);

        await emulator.Admin.DeleteResourceAsync(vault.Id);
        var attempts = new[]
        {
            await receiver.NextAsync(r => r.Kind == "Notification"),
            await receiver.NextAsync(r => r.Kind == "Notification"),
            await receiver.NextAsync(r => r.Kind == "Notification"),
        };

        Assert.IsTrue(attempts.All(a => a.Body == attempts[0].Body), "the same event is redelivered");
        IReadOnlyList<Emulator.Admin.EventDeliveryEntry> log = [];
        for (var i = 0; i < 100 && log.Count < 4; i++)
        {
            log = await emulator.Admin.GetEventDeliveriesAsync("retried");
        }

        CollectionAssert.AreEqual(new[] { "Validated", "Retrying", "Retrying", "Delivered" },
            log.Select(e => e.Outcome).ToArray());
        CollectionAssert.AreEqual(new[] { 200, 500, 500, 202 }, log.Select(e => e.Status).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 1, 2, 3 }, log.Select(e => e.Attempt).ToArray());
    }

    [TestMethod]
    public async Task ReceiverThatNeverRecovers_StopsAfterTheBoundedAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var group = TestEmulator.UniqueName("rg-fail-");
        var vault = await DataPlaneVaults.CreateAsync(emulator, group, TestEmulator.UniqueName("kv-fail-"));
        await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(group), "exhausted", receiver.Url,
            [EventSubscriptionsClient.ResourceDeleteSuccess]);
        receiver.FailNext(10);

        await factory.GetVaultsClient().DeleteAsync(group, vault.Name);
        for (var i = 0; i < 3; i++)
        {
            await receiver.NextAsync(r => r.Kind == "Notification");
        }

        IReadOnlyList<Emulator.Admin.EventDeliveryEntry> log = [];
        for (var i = 0; i < 100 && (log.Count == 0 || log[^1].Outcome != "Failed"); i++)
        {
            log = await emulator.Admin.GetEventDeliveriesAsync("exhausted");
        }

        Assert.AreEqual("Failed", log[^1].Outcome);
        Assert.AreEqual(3, log[^1].Attempt);
    }

    [TestMethod]
    public async Task AccessPolicyChange_RaisesVaultAccessPolicyChanged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var group = TestEmulator.UniqueName("rg-ap-");
        var vault = await DataPlaneVaults.CreateAsync(emulator, group, TestEmulator.UniqueName("kv-ap-"));
        // Key Vault's events are published on the vault's own topic: the subscription is on the vault, as in Azure.
        await subscriptions.CreateOrUpdateWebhookAsync(vault.Id, "policies", receiver.Url,
            [EventSubscriptionsClient.VaultAccessPolicyChanged]);

        var operatorId = emulator.GetPrincipal(EmulatorPrincipals.Operator).ObjectId.ToString();
        await factory.GetVaultsClient().UpdateAccessPoliciesAsync(group, vault.Name, AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(emulator.TenantId, operatorId, ["get"])]);
        var notification = await receiver.NextAsync(r => r.Kind == "Notification");

        var e = EventGridEvent.ParseMany(BinaryData.FromString(notification.Body)).Single();
        Assert.AreEqual(EventSubscriptionsClient.VaultAccessPolicyChanged, e.EventType);
        Assert.AreEqual(vault.Id, e.Topic);
        Assert.AreEqual(vault.Name, e.Subject);
        Assert.IsTrue(e.TryGetSystemEventData(out var data));
        Assert.AreEqual(vault.Name, ((KeyVaultAccessPolicyChangedEventData)data).VaultName);
    }

    [TestMethod]
    public async Task ExpiryCheck_RaisesSecretNearExpiryAndSecretExpired_OncePerVersion_OnTheVaultsTopic()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var group = TestEmulator.UniqueName("rg-exp-");
        var vault = await DataPlaneVaults.CreateAsync(emulator, group, TestEmulator.UniqueName("kv-exp-"));
        await subscriptions.CreateOrUpdateWebhookAsync(vault.Id, "expiry", receiver.Url,
            ["Microsoft.KeyVault.SecretNearExpiry", "Microsoft.KeyVault.SecretExpired"]);
        var secrets = factory.CreateSecretClient(vault.VaultUri!);
        var now = await emulator.Admin.GetNowAsync();
        var soon = (await secrets.SetSecretAsync(new KeyVaultSecret("soon",
            "v1") { Properties = { ExpiresOn = now.AddDays(10) } })).Value;
        await secrets.SetSecretAsync(new KeyVaultSecret("past", "v2") { Properties = { ExpiresOn = now.AddDays(-1) } });
        await secrets.SetSecretAsync(new KeyVaultSecret("later",
            "v3") { Properties = { ExpiresOn = now.AddDays(90) } });
        var off = (await secrets.SetSecretAsync(new KeyVaultSecret("off",
            "v4") { Properties = { ExpiresOn = now.AddDays(-1) } })).Value.Properties;
        off.Enabled = false;
        await secrets.UpdateSecretPropertiesAsync(off);

        (int near, int expired) = await emulator.Admin.RunSecretExpiryCheckAsync();
        var events = new List<EventGridEvent>();
        while (events.Count < 2) events.Add(EventGridEvent.ParseMany(BinaryData.FromString((await receiver.NextAsync(r => r.Kind == "Notification")).Body)).Single());

        Assert.IsTrue(near >= 1 && expired >= 1, $"{near} near, {expired} expired");
        EventGridEvent nearing = events.Single(e => e.EventType == "Microsoft.KeyVault.SecretNearExpiry");
        Assert.AreEqual(vault.Id, nearing.Topic);
        Assert.AreEqual("soon", nearing.Subject);
        Assert.IsTrue(nearing.TryGetSystemEventData(out var data));
        var typed = (KeyVaultSecretNearExpiryEventData)data;
        Assert.AreEqual(soon.Properties.Version, typed.Version);
        Assert.AreEqual(vault.Name, typed.VaultName);
        // The SDK types EXP as a float: Unix seconds of today are exact to 128 s only.
        Assert.AreEqual(now.AddDays(10).ToUnixTimeSeconds(), (long)typed.Exp!.Value, 128);
        Assert.AreEqual("past", events.Single(e => e.EventType == "Microsoft.KeyVault.SecretExpired").Subject);

        // Once per version: the next check publishes nothing for these; a new version nearing its expiry is reported
        // again.
        await secrets.SetSecretAsync(new KeyVaultSecret("soon", "v5") { Properties = { ExpiresOn = now.AddDays(20) } });
        await emulator.Admin.RunSecretExpiryCheckAsync();
        var again = EventGridEvent.ParseMany(BinaryData.FromString((await receiver.NextAsync(r => r.Kind == "Notification")).Body)).Single();
        Assert.AreEqual("soon", again.Subject);
        Assert.AreNotEqual(soon.Properties.Version,
            ((KeyVaultSecretNearExpiryEventData)(again.TryGetSystemEventData(out var next) ? next : null!)).Version);
        // The receiver has the third event before the emulator logs its delivery: wait for the log, then count.
        using var logged = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        int delivered;
        while ((delivered = (await emulator.Admin.GetEventDeliveriesAsync("expiry")).Count(d => d.Outcome == "Delivered")) < 3)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), logged.Token);
        }

        Assert.AreEqual(3, delivered, "no event for 'later', 'off' or a second time");
    }

    [TestMethod]
    public async Task NonLoopbackEndpoint_IsRefused()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(), "remote",
                new Uri("https://example.com/api/events")));

        Assert.AreEqual(400, error.Status);
    }
}
