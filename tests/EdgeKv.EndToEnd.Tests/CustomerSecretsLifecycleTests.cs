using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// A customer secret's life in its resource's vault: written with an expiry, a content type and tags; listed with its
/// attributes and never its value; read by the device; deleted softly and recovered; refused with a 400 (and nothing
/// changed) for a bad name, value, date or tag. A secret nearing its expiry raises a warning at the next sweep, an
/// expired one an error, and writing it again with a later expiry resolves the alert.
/// </summary>
[TestClass]
public sealed class CustomerSecretsLifecycleTests
{
    private const string Resource = "ase-life1";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task Customer_secrets_are_listed_read_by_the_device_deleted_recovered_and_their_expiry_raises_and_resolves_alerts()
    {
        await using InProcessHost host = await InProcessHost.StartAsync("--timers:HealthSweepTimer:Disabled", "true");
        using var deviceData = new TempDirectory("e2e-device-life");
        var device = new DeviceAgent(deviceData.Path);
        EdgeKvApi api = host.Api;
        FlowResult flow = await ActivationFlow.RunAsync(api, device, Resource, "first-customer-value-7c1");
        string secrets = $"/api/resources/{Resource}/customerSecrets";

        // Written with attributes: a new version carrying exactly them.
        DateTimeOffset soon = DateTimeOffset.UtcNow.AddDays(5);
        using (HttpResponseMessage put = await api.Http.PutAsJsonAsync($"{secrets}/share-user2",
            new { value = "second-customer-value-4d2", expiresOn = soon.ToString("O"), contentType = "text/plain",
                tags = new Dictionary<string, string> { ["team"] = "storage" } }))
        {
            Assert.AreEqual(HttpStatusCode.OK, put.StatusCode, await put.Content.ReadAsStringAsync());
        }

        JsonElement listed = await api.Http.GetFromJsonAsync<JsonElement>(secrets);
        string listedText = listed.ToString();
        string[] names = [.. listed.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
        CollectionAssert.AreEqual(new[] { ActivationFlow.CustomerSecretName, "share-user2" }, names,
            "customer secrets only: not the CIK, not the device's secrets");
        JsonElement second = listed.GetProperty("value")[1];
        Assert.AreEqual("text/plain", second.GetProperty("contentType").GetString());
        Assert.AreEqual("storage", second.GetProperty("tags").GetProperty("team").GetString());
        Assert.IsTrue(second.GetProperty("enabled").GetBoolean());
        Assert.IsLessThan(2.0, Math.Abs((second.GetProperty("expiresOn").GetDateTimeOffset() - soon).TotalSeconds),
            "expiry kept (Key Vault keeps seconds)");
        Assert.IsFalse(listedText.Contains("customer-value", StringComparison.Ordinal), "no value in the list");
        JsonElement one = await api.Http.GetFromJsonAsync<JsonElement>($"{secrets}/share-user2");
        Assert.AreEqual("text/plain", one.GetProperty("contentType").GetString());
        Assert.AreEqual("second-customer-value-4d2", await device.RunOkAsync("get-secret", "--name", "share-user2"),
            "the device reads it, encrypted with its CIK");

        // Bad requests: a 400 in Azure's shape, and the secret unchanged.
        object[] bad =
        [
            new { value = "x", expiresOn = "tomorrow" },
            new { value = "x", expiresOn = "2001-01-01T00:00:00Z" },
            new { value = "x", contentType = new string('c', 300) },
            new { value = "x", tags = Enumerable.Range(0, 16).ToDictionary(i => $"t{i}", i => "v") },
            new { value = "x", tags = new Dictionary<string, string> { ["t"] = new string('v', 257) } },
            new { value = "x", expires = "2030-01-01T00:00:00Z" },
            new { value = "" },
            new { value = "x", tags = new Dictionary<string, int> { ["t"] = 1 } },
        ];
        foreach (object body in bad)
        {
            using HttpResponseMessage refused = await api.Http.PutAsJsonAsync($"{secrets}/share-user2", body);
            string text = await refused.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.BadRequest, refused.StatusCode,
                JsonSerializer.Serialize(body) + " -> " + text);
            Assert.IsTrue(JsonDocument.Parse(text).RootElement.GetProperty("error").TryGetProperty("code", out _),
                text);
        }

        foreach (string path in new[] { $"{secrets}/ChannelIntegrityKey", $"{secrets}/bad_name",
            $"{secrets}/BmcUserPassword" })
        {
            using HttpResponseMessage put = await api.Http.PutAsJsonAsync(path, new { value = "x" });
            Assert.AreEqual(HttpStatusCode.BadRequest, put.StatusCode, path);
            using HttpResponseMessage delete = await api.Http.DeleteAsync(path);
            Assert.AreEqual(HttpStatusCode.BadRequest, delete.StatusCode, path);
        }

        JsonElement unchanged = await api.Http.GetFromJsonAsync<JsonElement>($"{secrets}/share-user2");
        Assert.AreEqual(one.GetProperty("version").GetString(), unchanged.GetProperty("version").GetString(),
            "no bad request wrote a version");

        // A secret expiring within the window raises a warning; one already expired (written straight to the vault, as
        // EdgeKv refuses a past expiry) an error.
        SecretClient vault = host.Factory.CreateSecretClient(new Uri((await api.ResourceAsync(Resource)).GetProperty("vault").GetProperty("uri").GetString()!), host.Factory.Credential);
        await vault.SetSecretAsync(new KeyVaultSecret("share-old",
            "old-customer-value-9e3") { Properties = { ExpiresOn = DateTimeOffset.UtcNow.AddDays(-1) } });
        await api.SweepAsync();
        IReadOnlyList<JsonElement> alerts = await api.AlertsAsync();
        JsonElement near = alerts.Active("SecretNearExpiry").Single(a => a.GetProperty("resource").GetString() == Resource);
        StringAssert.Contains(near.GetProperty("finding").GetString(), "share-user2");
        Assert.AreEqual("Warning", near.GetProperty("severity").GetString());
        JsonElement expired = alerts.Active("SecretExpired").Single(a => a.GetProperty("resource").GetString() == Resource);
        StringAssert.Contains(expired.GetProperty("finding").GetString(), "share-old");
        Assert.AreEqual("Error", expired.GetProperty("severity").GetString());

        // Renewed (a later expiry) and the expired one deleted: the next sweep resolves both.
        using (HttpResponseMessage renew = await api.Http.PutAsJsonAsync($"{secrets}/share-user2",
            new { value = "second-customer-value-4d3", expiresOn = DateTimeOffset.UtcNow.AddDays(365).ToString("O") }))
        {
            Assert.AreEqual(HttpStatusCode.OK, renew.StatusCode, await renew.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage deleted = await api.Http.DeleteAsync($"{secrets}/share-old"))
        {
            string text = await deleted.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.OK, deleted.StatusCode, text);
            Assert.AreEqual(JsonValueKind.String,
                JsonDocument.Parse(text).RootElement.GetProperty("scheduledPurgeDate").ValueKind,
                "soft: recoverable until its purge date");
        }

        await api.SweepAsync();
        alerts = await api.AlertsAsync();
        Assert.IsEmpty(alerts.Active("SecretNearExpiry"), "renewed");
        Assert.IsEmpty(alerts.Active("SecretExpired"), "deleted");

        // Deleted softly: listed among the deleted, gone from the list and from the device, and recoverable.
        JsonElement deletedList = await api.Http.GetFromJsonAsync<JsonElement>($"/api/resources/{Resource}/deletedCustomerSecrets");
        CollectionAssert.Contains(deletedList.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray(), "share-old");
        using (HttpResponseMessage gone = await api.Http.GetAsync($"{secrets}/share-old"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, gone.StatusCode, await gone.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage again = await api.Http.DeleteAsync($"{secrets}/share-old"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, again.StatusCode, await again.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage recovered = await api.Http.PostAsync($"/api/resources/{Resource}/deletedCustomerSecrets/share-old/recover", null))
        {
            Assert.AreEqual(HttpStatusCode.OK, recovered.StatusCode, await recovered.Content.ReadAsStringAsync());
        }

        await WaitAsync(async () => (await api.Http.GetAsync($"{secrets}/share-old")).StatusCode == HttpStatusCode.OK);
        Assert.AreEqual("old-customer-value-9e3", await device.RunOkAsync("get-secret", "--name", "share-old"),
            "recovered with its value");

        // Disabled out of band: the device is refused for the secret's state, and no access alert is raised.
        SecretProperties current = (await vault.GetSecretAsync("share-old")).Value.Properties;
        current.Enabled = false;
        await vault.UpdateSecretPropertiesAsync(current);
        (int exit, string output, string error) = await device.RunAsync("get-secret", "--name", "share-old");
        Assert.AreNotEqual(0, exit);
        StringAssert.Contains(output + error, "SecretDisabled");
        Assert.IsEmpty((await api.AlertsAsync($"?resource={Resource}")).Active("IdentityAccessMissing"));
        JsonElement disabled = await api.Http.GetFromJsonAsync<JsonElement>($"{secrets}/share-old");
        Assert.IsFalse(disabled.GetProperty("enabled").GetBoolean(), disabled.ToString());
        Assert.AreEqual(current.Version, disabled.GetProperty("version").GetString(), "the current version's id");

        // No value anywhere but in the vault and on the device.
        var needles = SecretScan.Needles(new Dictionary<string, string>
        {
            ["first"] = "first-customer-value-7c1",
            ["second"] = "second-customer-value-4d2",
            ["renewed"] = "second-customer-value-4d3",
            ["old"] = "old-customer-value-9e3",
        });
        SecretScan.AssertAbsentInText("the host's log output", host.Logs.Lines, needles);
        SecretScan.AssertAbsentInFolder(host.DataPath, needles,
            skip: f => f.Contains($"{Path.DirectorySeparatorChar}emulator{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal));
        TestContext.WriteLine($"Vault {flow.VaultName}: {names.Length} customer secrets listed, {bad.Length} bad writes refused.");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        DateTimeOffset until = DateTimeOffset.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.IsTrue(DateTimeOffset.UtcNow < until, "the condition held within two minutes");
            await Task.Delay(250);
        }
    }
}
