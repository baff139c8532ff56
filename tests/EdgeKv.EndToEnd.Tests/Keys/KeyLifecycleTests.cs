using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using EdgeKv.Azure.Keys;
using EdgeKv.Functions.Health;
using EdgeKv.Functions.Keys;
using EdgeKv.Orchestrations.Keys;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.EndToEnd.Tests.Keys;

/// <summary>
/// Key lifecycle beyond the seed, end to end on one host: the minimum enabled version disables older versions in the
/// vault; deletions are refused while not allowed or distributed and changes nothing; providers in use stay; a standard
/// vault is refused for HSM; software EC keys sign in the vault; every refusal is a 4xx in Azure's error shape.
/// </summary>
[TestClass]
public sealed class KeyLifecycleTests
{
    private static KeyManagementHost keys = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext _)
    {
        keys = await KeyManagementHost.StartAsync();
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/kms/premium",
                keys.ProviderBody(KeyManagementHost.PremiumVault))).Status);
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/kms/standard",
                new { provider = "azurekeyvault", keyCollection = KeyManagementHost.StandardVault })).Status);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (keys is not null) await keys.DisposeAsync();
    }

    [TestMethod]
    public async Task Raising_minEnabledVersion_disables_older_versions_in_the_vault_and_they_are_refused_there()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/min-1", new { type = "rsa-3072" })).Status);
        await keys.CompleteFlowAsync("PUT", "/api/kms/standard/keys/min-1",
            new { purpose = new[] { "sign", "verify" }, protection = "software" });
        await keys.CompleteFlowAsync("POST", "/api/keys/min-1/rotate");
        await keys.CompleteFlowAsync("POST", "/api/keys/min-1/rotate");

        JsonElement done = await keys.CompleteFlowAsync("PATCH", "/api/keys/min-1", new { minEnabledVersion = 3 });

        Assert.AreEqual(3, done.GetProperty("output").GetProperty("minEnabledVersion").GetInt32());
        JsonElement key = (await keys.SendAsync("GET", "/api/keys/min-1")).Body;
        Assert.AreEqual(3, key.GetProperty("minEnabledVersion").GetInt32());
        CollectionAssert.AreEqual(new[] { false, false, true },
            key.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("enabled").GetBoolean()).ToArray());
        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.StandardVault);
        var byVersion = (await vault.GetPropertiesOfKeyVersionsAsync("min-1")).ToDictionary(v => v.Tags["edgekv-version"], v => v);
        Assert.AreEqual(3, byVersion.Count, "one Azure version per EdgeKv version");
        Assert.IsFalse(byVersion["1"].Enabled);
        Assert.IsFalse(byVersion["2"].Enabled);
        Assert.IsTrue(byVersion["3"].Enabled);
        byte[] digest = SHA256.HashData("min"u8);
        RequestFailedException refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            vault.GetCryptographyClient("min-1", byVersion["1"].Version).SignAsync(KeyAlgorithms.RS256, digest));
        Assert.AreEqual(403, refused.Status);
        Assert.IsNotNull((await vault.GetCryptographyClient("min-1").SignAsync(KeyAlgorithms.RS256, digest)).Value);

        KeyManagementHost.AssertRefused(await keys.SendAsync("PATCH", "/api/keys/min-1", new { minEnabledVersion = 4 }),
            HttpStatusCode.BadRequest, "InvalidMinEnabledVersion");
    }

    [TestMethod]
    public async Task Deleting_a_key_is_refused_while_not_allowed_or_distributed_naming_what_blocks_it_then_allowed_after_removal()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/del-1", new { type = "ecdsa-p256" })).Status);
        await keys.CompleteFlowAsync("PUT", "/api/kms/standard/keys/del-1",
            new { purpose = "sign", protection = "software" });

        var notAllowed = await keys.SendAsync("DELETE", "/api/keys/del-1");
        KeyManagementHost.AssertRefused(notAllowed, HttpStatusCode.Conflict, "KeyDeletionNotAllowed");
        StringAssert.Contains(notAllowed.Body.GetProperty("error").GetProperty("message").GetString(),
            "deletionAllowed");
        Assert.AreEqual(HttpStatusCode.OK,
            (await keys.SendAsync("PATCH", "/api/keys/del-1", new { deletionAllowed = true })).Status);
        var distributed = await keys.SendAsync("DELETE", "/api/keys/del-1");
        KeyManagementHost.AssertRefused(distributed, HttpStatusCode.Conflict, "KeyDistributed");
        StringAssert.Contains(distributed.Body.GetProperty("error").GetProperty("message").GetString(), "'standard'");
        Assert.AreEqual(HttpStatusCode.OK, (await keys.SendAsync("GET", "/api/keys/del-1")).Status, "nothing changed");

        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.StandardVault);
        Assert.AreEqual(KeyTypes.Ec, (await vault.GetKeyAsync("del-1")).KeyType);
        await keys.CompleteFlowAsync("DELETE", "/api/kms/standard/keys/del-1");
        RequestFailedException gone = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => vault.GetKeyAsync("del-1"));
        Assert.AreEqual(404, gone.Status);
        Assert.IsNotNull(await vault.GetDeletedKeyAsync("del-1"), "soft-deleted in the vault");
        await keys.CompleteFlowAsync("PUT", "/api/kms/standard/keys/del-1",
            new { purpose = "sign", protection = "software" });
        Assert.AreEqual(1, (await vault.GetPropertiesOfKeyVersionsAsync("del-1")).Count,
            "distributed again: recovered from soft-delete, no second Azure version");
        await keys.CompleteFlowAsync("DELETE", "/api/kms/standard/keys/del-1");

        Assert.AreEqual(HttpStatusCode.NoContent, (await keys.SendAsync("DELETE", "/api/keys/del-1")).Status);
        KeyManagementHost.AssertRefused(await keys.SendAsync("GET", "/api/keys/del-1"), HttpStatusCode.NotFound,
            "KeyNotFound");
    }

    [TestMethod]
    public async Task Deleting_a_provider_in_use_is_refused_naming_its_keys()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/kms/busy",
                new { provider = "azurekeyvault", keyCollection = KeyManagementHost.StandardVault })).Status);
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/busy-1", new { type = "ecdsa-p384" })).Status);
        await keys.CompleteFlowAsync("PUT", "/api/kms/busy/keys/busy-1",
            new { purpose = new[] { "sign", "verify" }, protection = "software" });

        var refused = await keys.SendAsync("DELETE", "/api/kms/busy");

        KeyManagementHost.AssertRefused(refused, HttpStatusCode.Conflict, "KmsProviderInUse");
        StringAssert.Contains(refused.Body.GetProperty("error").GetProperty("message").GetString(), "'busy-1'");
        Assert.AreEqual(HttpStatusCode.OK, (await keys.SendAsync("GET", "/api/kms/busy")).Status);
        KeyManagementHost.AssertRefused(await keys.SendAsync("PUT", "/api/kms/busy",
            new { provider = "azurekeyvault", keyCollection = KeyManagementHost.PremiumVault }),
            HttpStatusCode.Conflict, "KmsProviderInUse");
        Assert.AreEqual(KeyManagementHost.StandardVault,
            (await keys.SendAsync("GET", "/api/kms/busy")).Body.GetProperty("keyCollection").GetString());
    }

    [TestMethod]
    public async Task Hsm_protection_in_a_standard_vault_is_refused_clearly_and_records_nothing()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/std-1", new { type = "rsa-2048" })).Status);

        var refused = await keys.SendAsync("PUT", "/api/kms/standard/keys/std-1",
            new { purpose = "encrypt", protection = "hsm" });

        KeyManagementHost.AssertRefused(refused, HttpStatusCode.Conflict, "PremiumVaultRequired");
        StringAssert.Contains(refused.Body.GetProperty("error").GetProperty("message").GetString(), "premium");
        KeyManagementHost.AssertRefused(await keys.SendAsync("GET", "/api/kms/standard/keys/std-1"),
            HttpStatusCode.NotFound, "KeyNotDistributed");
    }

    [TestMethod]
    public async Task A_provider_whose_vault_is_not_in_EdgeKvs_group_is_refused_as_VaultNotFound_and_records_nothing()
    {
        // EdgeKv's own identity reads the provider's vault by name in its group: no such vault there is a 404, not a
        // 5xx.
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/kms/nowhere",
                new { provider = "azurekeyvault", keyCollection = "no-such-vault" })).Status);
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/nowhere-1", new { type = "rsa-2048" })).Status);

        var refused = await keys.SendAsync("PUT", "/api/kms/nowhere/keys/nowhere-1",
            new { purpose = "encrypt", protection = "hsm" });

        KeyManagementHost.AssertRefused(refused, HttpStatusCode.NotFound, "VaultNotFound");
        StringAssert.Contains(refused.Body.GetProperty("error").GetProperty("message").GetString(), "no-such-vault");
        KeyManagementHost.AssertRefused(await keys.SendAsync("GET", "/api/kms/nowhere/keys/nowhere-1"),
            HttpStatusCode.NotFound, "KeyNotDistributed");
    }

    [TestMethod]
    public async Task A_software_EC_key_signs_in_the_vault_with_EdgeKvs_key()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/ec-1", new { type = "ecdsa-p521" })).Status);
        await keys.CompleteFlowAsync("PUT", "/api/kms/premium/keys/ec-1",
            new { purpose = "sign", protection = "software" });

        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.PremiumVault);
        byte[] digest = SHA512.HashData("ec"u8);
        KeyOperationResult signature = await vault.GetCryptographyClient("ec-1").SignAsync(KeyAlgorithms.ES512, digest);

        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem((await keys.SendAsync("GET",
            "/api/keys/ec-1")).Body.GetProperty("versions")[0].GetProperty("publicKey").GetString());
        Assert.IsTrue(publicKey.VerifyHash(digest, signature.Value));
        Assert.AreEqual(KeyTypes.Ec, (await vault.GetKeyAsync("ec-1")).KeyType);
    }

    [TestMethod]
    public async Task A_vault_key_encryption_key_wraps_EdgeKvs_material_through_wrapKey_and_unwrapKey()
    {
        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.PremiumVault);
        await vault.CreateRsaKeyAsync("edgekv-kek", 3072, [KeyOperations.WrapKey, KeyOperations.UnwrapKey],
            hardwareProtected: true);
        var kek = new EdgeKv.Activities.Keys.VaultKeyEncryptionKey(_ => Task.FromResult(vault), "edgekv-kek");
        byte[] material = RandomNumberGenerator.GetBytes(1200);

        byte[] envelope = await kek.ProtectAsync(material, "edgekv-key:k1:1");

        Assert.AreEqual(-1, envelope.AsSpan().IndexOf(material.AsSpan(0, 32)));
        CollectionAssert.AreEqual(material, await kek.UnprotectAsync(envelope, "edgekv-key:k1:1"));
        await Assert.ThrowsAsync<CryptographicException>(() => kek.UnprotectAsync(envelope, "edgekv-key:k2:1"));
        await vault.CreateRsaKeyAsync("edgekv-kek", 3072, [KeyOperations.WrapKey, KeyOperations.UnwrapKey],
            hardwareProtected: true);
        CollectionAssert.AreEqual(material, await kek.UnprotectAsync(envelope, "edgekv-key:k1:1"),
            "an envelope names the vault key version that wrapped it");
    }

    [TestMethod]
    public async Task A_second_PUT_updates_the_settings_it_names_keeps_the_others_and_refuses_another_type()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/put-1",
                new { type = "ecdsa-p256", rotationPeriod = "30d" })).Status);

        (HttpStatusCode status, JsonElement body) = await keys.SendAsync("PUT", "/api/keys/put-1",
            new { deletionAllowed = true });
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.IsTrue(body.GetProperty("deletionAllowed").GetBoolean(), "the named setting is applied, not ignored");
        Assert.AreEqual("30d", body.GetProperty("rotationPeriod").GetString(), "an omitted setting keeps its value");
        Assert.AreEqual("ecdsa-p256", body.GetProperty("type").GetString(), "no type in the body keeps the key's type");

        (status, body) = await keys.SendAsync("PUT", "/api/keys/put-1",
            new { type = "ecdsa-p256", rotationPeriod = "0" });
        Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
        Assert.AreEqual(JsonValueKind.Null, body.GetProperty("rotationPeriod").ValueKind,
            "\"0\" turns automatic rotation off");
        Assert.AreEqual(1, body.GetProperty("latestVersion").GetInt32(), "a PUT never makes a version");

        var refused = await keys.SendAsync("PUT", "/api/keys/put-1",
            new { type = "rsa-2048", deletionAllowed = false });
        KeyManagementHost.AssertRefused(refused, HttpStatusCode.Conflict, "KeyTypeImmutable");
        JsonElement after = (await keys.SendAsync("GET", "/api/keys/put-1")).Body;
        Assert.IsTrue(after.GetProperty("deletionAllowed").GetBoolean(), "a refused PUT changes nothing");
        Assert.AreEqual(HttpStatusCode.NoContent, (await keys.SendAsync("DELETE", "/api/keys/put-1")).Status);
        JsonElement[] trail = [.. (await keys.SendAsync("GET", $"/api/audit?operation={Uri.EscapeDataString("PUT /api/keys/{name}")}&top=1000")).Body.GetProperty("value").EnumerateArray()
            .Where(r => r.GetProperty("secretName").GetString() == "key:put-1")];
        Assert.AreEqual(4, trail.Length, "each PUT's audit record names the key");
        Assert.AreEqual(1, trail.Count(r => r.GetProperty("result").GetString() == "Failed" && r.GetProperty("status").GetInt32() == 409));
    }

    [TestMethod]
    public async Task The_sweep_timer_rotates_a_key_once_its_rotationPeriod_has_passed_and_not_before()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/auto-1",
                new { type = "ecdsa-p256", rotationPeriod = "24h" })).Status);
        Assert.AreEqual("1d", (await keys.SendAsync("GET",
            "/api/keys/auto-1")).Body.GetProperty("rotationPeriod").GetString());
        await keys.CompleteFlowAsync("PUT", "/api/kms/standard/keys/auto-1",
            new { purpose = "sign", protection = "software" });
        IServiceProvider services = keys.Host.Services;
        var clock = new EdgeKv.Tests.Support.ManualTimeProvider(DateTimeOffset.UtcNow);
        var scheduler = ActivatorUtilities.CreateInstance<KeyRotationScheduler>(services, clock);
        var timer = ActivatorUtilities.CreateInstance<HealthSweepFunction>(services, scheduler);
        DurableTaskClient client = EdgeKv.FunctionsHost.DurableClientBinding.GetClient(services);

        await timer.RunAsync(new TimerInfo(), client, CancellationToken.None);
        Assert.IsNull(await client.GetInstanceAsync(KeyFlowIds.Rotate("auto-1")), "not due yet");
        clock.Advance(TimeSpan.FromHours(25));
        await timer.RunAsync(new TimerInfo(), client, CancellationToken.None);

        OrchestrationMetadata rotated = await client.WaitForInstanceCompletionAsync(KeyFlowIds.Rotate("auto-1"),
            getInputsAndOutputs: true);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, rotated.RuntimeStatus,
            rotated.FailureDetails?.ErrorMessage);
        Assert.AreEqual(2, (await keys.SendAsync("GET",
            "/api/keys/auto-1")).Body.GetProperty("latestVersion").GetInt32());
        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.StandardVault);
        Assert.AreEqual("2", (await vault.GetKeyAsync("auto-1")).Properties.Tags["edgekv-version"]);
        await client.WaitForInstanceCompletionAsync(EdgeKv.Orchestrations.HealthSweepOrchestrator.InstanceId); // the timer's sweep, before another test sweeps
    }

    [TestMethod]
    public async Task The_sweep_raises_a_drift_alert_for_operations_added_out_of_band_and_the_heal_route_restricts_them_again()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/drift-1", new { type = "rsa-2048" })).Status);
        await keys.CompleteFlowAsync("PUT", "/api/kms/standard/keys/drift-1",
            new { purpose = new[] { "encrypt", "decrypt" }, protection = "software" });
        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.StandardVault);
        await vault.UpdateKeyPropertiesAsync("drift-1", keyOperations: ["encrypt", "decrypt", "sign"]);

        await keys.Host.Api.SweepAsync();

        JsonElement alert = (await keys.Host.Api.AlertsAsync("?state=Active")).Single(a => a.GetProperty("resource").GetString() == "kms/standard/keys/drift-1");
        Assert.AreEqual("KeyDistributionDrift", alert.GetProperty("kind").GetString());
        StringAssert.Contains(alert.GetProperty("finding").GetString(), "beyond its purpose: sign");
        Assert.AreEqual("POST /api/kms/standard/keys/drift-1/heal", alert.GetProperty("healing").GetString());

        await keys.CompleteFlowAsync("POST", "/api/kms/standard/keys/drift-1/heal");

        CollectionAssert.AreEquivalent(new[] { "encrypt", "decrypt" },
            (await vault.GetKeyAsync("drift-1")).KeyOperations.ToArray());
        Assert.AreEqual(1, (await vault.GetPropertiesOfKeyVersionsAsync("drift-1")).Count,
            "healed in place, no new Azure version");
        Assert.IsFalse((await keys.Host.Api.AlertsAsync("?state=Active")).Any(a => a.GetProperty("resource").GetString() == "kms/standard/keys/drift-1"));
    }

    [TestMethod]
    public async Task A_version_made_current_on_top_of_EdgeKvs_latest_is_found_by_the_sweep_and_the_heal_makes_the_latest_current_again()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/cur-1", new { type = "rsa-2048" })).Status);
        await keys.CompleteFlowAsync("PUT", "/api/kms/standard/keys/cur-1",
            new { purpose = new[] { "encrypt", "decrypt" }, protection = "software" });
        await keys.CompleteFlowAsync("POST", "/api/keys/cur-1/rotate");
        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.StandardVault);
        // Out of band (or an older version imported after the latest by a distribution racing a rotation): another
        // version becomes current on top of EdgeKv's version 2, which is still listed.
        await vault.CreateRsaKeyAsync("cur-1", 2048, ["encrypt", "decrypt"]);
        Assert.IsFalse((await vault.GetKeyAsync("cur-1")).Properties.Tags.ContainsKey("edgekv-version"));

        await keys.Host.Api.SweepAsync();
        JsonElement alert = (await keys.Host.Api.AlertsAsync("?state=Active")).Single(a => a.GetProperty("resource").GetString() == "kms/standard/keys/cur-1");
        StringAssert.Contains(alert.GetProperty("finding").GetString(), "is not EdgeKv's version 2");

        await keys.CompleteFlowAsync("POST", "/api/kms/standard/keys/cur-1/heal");

        KeyVaultKey current = await vault.GetKeyAsync("cur-1");
        Assert.AreEqual("2", current.Properties.Tags["edgekv-version"], "EdgeKv's latest version is current again");
        Assert.AreEqual(4, (await vault.GetPropertiesOfKeyVersionsAsync("cur-1")).Count,
            "1, 2, the one on top, and 2 imported again; nothing deleted");
        Assert.IsFalse((await keys.Host.Api.AlertsAsync("?state=Active")).Any(a => a.GetProperty("resource").GetString() == "kms/standard/keys/cur-1"));
        await keys.CompleteFlowAsync("POST", "/api/kms/standard/keys/cur-1/heal");
        Assert.AreEqual(4, (await vault.GetPropertiesOfKeyVersionsAsync("cur-1")).Count,
            "a second heal finds the latest current and imports nothing");
    }

    [TestMethod]
    public async Task Every_bad_request_is_a_4xx_in_Azures_error_shape_and_changes_nothing()
    {
        Assert.AreEqual(HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/keys/bad-1", new { type = "ecdsa-p256" })).Status);
        string before = (await keys.SendAsync("GET", "/api/keys")).Body.ToString() + (await keys.SendAsync("GET",
            "/api/kms")).Body;
        (string Method, string Path, object? Body, HttpStatusCode Status, string Code)[] cases =
        [
            ("PUT", "/api/keys/bad-2", new { type = "rsa-1024" }, HttpStatusCode.BadRequest, "InvalidKeyType"),
            ("PUT", "/api/keys/bad_name", new { type = "rsa-2048" }, HttpStatusCode.BadRequest, "InvalidKeyName"),
            ("PUT", "/api/keys/bad-1", new { type = "rsa-2048" }, HttpStatusCode.Conflict, "KeyTypeImmutable"),
            ("PUT", "/api/keys/bad-3", new { type = "rsa-2048", rotationPeriod = "5m" }, HttpStatusCode.BadRequest,
                "InvalidRotationPeriod"),
            ("PATCH", "/api/keys/bad-1", new { minEnabledVersion = 0 }, HttpStatusCode.BadRequest,
                "InvalidMinEnabledVersion"),
            ("PATCH", "/api/keys/nope", new { deletionAllowed = true }, HttpStatusCode.NotFound, "KeyNotFound"),
            ("POST", "/api/keys/nope/rotate", null, HttpStatusCode.NotFound, "KeyNotFound"),
            ("DELETE", "/api/keys/nope", null, HttpStatusCode.NotFound, "KeyNotFound"),
            ("PUT", "/api/kms/bad-kms", new { provider = "awskms", keyCollection = "kv-one" },
                HttpStatusCode.BadRequest, "InvalidKmsProvider"),
            ("PUT", "/api/kms/bad-kms", new { provider = "azurekeyvault", keyCollection = "x" },
                HttpStatusCode.BadRequest, "InvalidKeyCollection"),
            ("PUT", "/api/kms/bad-kms", new { keyCollection = "kv-one", credentials = new { clientId = "x" } },
                HttpStatusCode.BadRequest, "InvalidCredentials"),
            ("DELETE", "/api/kms/nope", null, HttpStatusCode.NotFound, "KmsProviderNotFound"),
            ("PUT", "/api/kms/nope/keys/bad-1", new { purpose = "sign" }, HttpStatusCode.NotFound,
                "KmsProviderNotFound"),
            ("PUT", "/api/kms/premium/keys/nope", new { purpose = "sign" }, HttpStatusCode.NotFound, "KeyNotFound"),
            ("PUT", "/api/kms/premium/keys/bad-1", new { purpose = "encrypt", protection = "software" },
                HttpStatusCode.BadRequest, "InvalidPurpose"),
            ("PUT", "/api/kms/premium/keys/bad-1", new { purpose = "launch", protection = "software" },
                HttpStatusCode.BadRequest, "InvalidPurpose"),
            ("PUT", "/api/kms/premium/keys/bad-1", new { purpose = 7 }, HttpStatusCode.BadRequest, "InvalidPurpose"),
            ("PUT", "/api/kms/premium/keys/bad-1", new { purpose = "sign", protection = "cloud" },
                HttpStatusCode.BadRequest, "InvalidProtection"),
            ("PUT", "/api/kms/premium/keys/bad-1", null, HttpStatusCode.BadRequest, "MissingRequestBody"),
            ("DELETE", "/api/kms/premium/keys/bad-1", null, HttpStatusCode.NotFound, "KeyNotDistributed"),
            ("GET", "/api/keys?top=0", null, HttpStatusCode.BadRequest, "InvalidTop"),
        ];
        foreach ((string method, string path, object? body, HttpStatusCode status, string code) in cases)
        {
            var answer = await keys.SendAsync(method, path, body);
            Assert.AreEqual(status, answer.Status, $"{method} {path}: {answer.Body}");
            Assert.AreEqual(code, answer.Body.GetProperty("error").GetProperty("code").GetString(),
                $"{method} {path}: {answer.Body}");
        }

        string after = (await keys.SendAsync("GET", "/api/keys")).Body.ToString() + (await keys.SendAsync("GET",
            "/api/kms")).Body;
        Assert.AreEqual(Without(before, "bad-1"), Without(after, "bad-1"));
        Assert.AreEqual(JsonValueKind.Array,
            (await keys.SendAsync("GET", "/api/kms/premium/keys")).Body.GetProperty("value").ValueKind);
    }

    /// <summary>
    /// The lists minus other tests' keys (they run in this class one at a time, so only names of this test are
    /// compared).
    /// </summary>
    private static string Without(string lists, string keep) =>
        string.Join('|', JsonSerializer.Deserialize<JsonElement>("[" + lists.Replace("}{", "},{",
            StringComparison.Ordinal) + "]").EnumerateArray()
            .SelectMany(l => l.GetProperty("value").EnumerateArray()).Select(v => v.GetProperty("name").GetString()).Where(n => n == keep || n!.StartsWith("bad", StringComparison.Ordinal)));
}
