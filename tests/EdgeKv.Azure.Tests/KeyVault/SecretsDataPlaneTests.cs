using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests.KeyVault;

[TestClass]
public sealed class SecretsDataPlaneTests
{
    private static readonly string ResourceGroup = TestEmulator.UniqueName("rg-secrets-");
    private static EdgeKvAzureClientFactory factory = null!;
    private static VaultProperties vault = null!;
    private static SecretClient secrets = null!;
    private static DataPlaneHttp http = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        factory = TestEmulator.Factory(TestEmulator.Shared);
        vault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-sec-"), false,
            (EmulatorPrincipals.EdgeKvService, DataPlaneVaults.AllSecrets, []),
            (EmulatorPrincipals.Operator, ["get", "set"], []));
        secrets = factory.CreateSecretClient(vault.VaultUri!);
        http = new DataPlaneHttp(TestEmulator.Shared);
    }

    [ClassCleanup]
    public static void Cleanup() => http.Dispose();

    [TestMethod]
    public async Task FirstRequest_WithoutToken_Gets401BearerChallenge_BeforeTheBodyIsRead()
    {
        var (status, body, response) = await http.SendAsync(HttpMethod.Put,
            $"vaults/{vault.Name}/secrets/s1?api-version=2026-04-01", body: null, principal: null);

        Assert.AreEqual(401, status);
        Assert.AreEqual("Unauthorized", (string?)body!["error"]!["code"]);
        Assert.AreEqual($"Bearer authorization=\"{TestEmulator.Shared.Endpoint}{TestEmulator.Shared.TenantId}\", resource=\"https://vault.azure.net\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [TestMethod]
    public async Task SecretClient_AnswersTheChallenge_AndRetriesWithAToken()
    {
        // The SDK caches the challenge per host and port (process-wide), so a fresh emulator shows the first exchange.
        var emulator = await TestEmulator.StartAsync();
        try
        {
            var fresh = await DataPlaneVaults.CreateAsync(emulator, "rg-challenge", "kv-challenge");
            await TestEmulator.Factory(emulator).CreateSecretClient(fresh.VaultUri!).SetSecretAsync("first", "v");

            var served = await emulator.Admin.GetRequestsAsync(pathContains: "/secrets/first");
            CollectionAssert.AreEqual(new[] { 401, 200 }, served.Select(r => r.Status).ToArray());
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }

    [TestMethod]
    public async Task EveryServiceVersionTheSdkCanSend_IsAccepted()
    {
        foreach (var version in Enum.GetValues<SecretClientOptions.ServiceVersion>())
        {
            var client = factory.CreateSecretClient(vault.VaultUri!, serviceVersion: version);
            var name = $"ver-{(int)version}";

            await client.SetSecretAsync(name, version.ToString());

            Assert.AreEqual(version.ToString(), (await client.GetSecretAsync(name)).Value.Value, version.ToString());
        }
    }

    [TestMethod]
    public async Task Set_NewVersionEachTime_GetReturnsLatestOrTheNamedVersion()
    {
        var first = await secrets.SetSecretAsync("cik", "one");
        var second = await secrets.SetSecretAsync(new KeyVaultSecret("cik",
            "two") { Properties = { ContentType = "text/plain", Tags = { ["purpose"] = "cik" } } });

        Assert.AreEqual("two", (await secrets.GetSecretAsync("cik")).Value.Value);
        Assert.AreEqual("one", (await secrets.GetSecretAsync("cik", first.Value.Properties.Version)).Value.Value);
        Assert.AreEqual("text/plain", second.Value.Properties.ContentType);
        Assert.AreEqual("cik", second.Value.Properties.Tags["purpose"]);
        Assert.AreEqual(32, second.Value.Properties.Version.Length);
        Assert.AreEqual("Recoverable+Purgeable", second.Value.Properties.RecoveryLevel);
        var versions = new List<string>();
        await foreach (var p in secrets.GetPropertiesOfSecretVersionsAsync("cik"))
        {
            versions.Add(p.Version);
        }

        CollectionAssert.AreEquivalent(new[] { first.Value.Properties.Version, second.Value.Properties.Version },
            versions);
    }

    [TestMethod]
    public async Task List_PagesWithAbsoluteNextLink_AndTheSdkFollowsIt()
    {
        var pageVault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-page-"));
        var client = factory.CreateSecretClient(pageVault.VaultUri!);
        for (var i = 0; i < 7; i++)
        {
            await client.SetSecretAsync($"s{i}", "v");
        }

        var (status, page, _) = await http.SendAsync(HttpMethod.Get,
            $"vaults/{pageVault.Name}/secrets?api-version=7.4&maxresults=5");
        Assert.AreEqual(200, status);
        Assert.AreEqual(5, page!["value"]!.AsArray().Count);
        var nextLink = (string)page["nextLink"]!;
        StringAssert.StartsWith(nextLink, pageVault.VaultUri!.AbsoluteUri + "secrets?");
        // The nextLink is on the vault's own port; the raw helper reaches the same vault as /vaults/NAME/ on the main
        // port.
        var (_, rest, _) = await http.SendAsync(HttpMethod.Get,
            $"vaults/{pageVault.Name}{new Uri(nextLink).PathAndQuery}");
        Assert.AreEqual(2, rest!["value"]!.AsArray().Count);
        Assert.IsNull(rest["nextLink"]);

        var names = new List<string>();
        await foreach (var p in client.GetPropertiesOfSecretsAsync())
        {
            names.Add(p.Name);
        }

        Assert.AreEqual(7, names.Count);
    }

    [TestMethod]
    public async Task UpdateProperties_DisabledSecretIsRefused_ExpiredSecretIsStillReadable()
    {
        var set = await secrets.SetSecretAsync("upd", "value");
        var properties = set.Value.Properties;
        properties.ContentType = "application/x-pem";
        properties.ExpiresOn = DateTimeOffset.UtcNow.AddDays(-1);
        properties.Tags["owner"] = "ops";

        var updated = await secrets.UpdateSecretPropertiesAsync(properties);
        Assert.AreEqual("application/x-pem", updated.Value.ContentType);
        Assert.AreEqual("ops", updated.Value.Tags["owner"]);
        Assert.AreEqual("value", (await secrets.GetSecretAsync("upd")).Value.Value);

        properties.Enabled = false;
        await secrets.UpdateSecretPropertiesAsync(properties);
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.GetSecretAsync("upd"));
        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("Forbidden", error.ErrorCode);
    }

    [TestMethod]
    public async Task Delete_IsSoft_NameIsHeld_RecoverBringsItBack_PurgeRemovesIt()
    {
        await secrets.SetSecretAsync("bmc", "pw");
        var delete = await secrets.StartDeleteSecretAsync("bmc");
        await delete.WaitForCompletionAsync();
        Assert.IsNotNull(delete.Value.RecoveryId);

        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.GetSecretAsync("bmc"))).Status);
        var conflict = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.SetSecretAsync("bmc",
            "again"));
        Assert.AreEqual(409, conflict.Status);
        Assert.AreEqual("Conflict", conflict.ErrorCode);
        Assert.AreEqual("bmc", (await secrets.GetDeletedSecretAsync("bmc")).Value.Name);

        var recover = await secrets.StartRecoverDeletedSecretAsync("bmc");
        await recover.WaitForCompletionAsync();
        Assert.AreEqual("pw", (await secrets.GetSecretAsync("bmc")).Value.Value);

        await (await secrets.StartDeleteSecretAsync("bmc")).WaitForCompletionAsync();
        await secrets.PurgeDeletedSecretAsync("bmc");
        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.GetDeletedSecretAsync("bmc"))).Status);
        Assert.AreEqual("new", (await secrets.SetSecretAsync("bmc", "new")).Value.Value);
    }

    [TestMethod]
    public async Task Purge_UnderPurgeProtection_Is403()
    {
        var protectedVault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup,
            TestEmulator.UniqueName("kv-pp-"), purgeProtection: true);
        var client = factory.CreateSecretClient(protectedVault.VaultUri!);
        await client.SetSecretAsync("s", "v");
        await (await client.StartDeleteSecretAsync("s")).WaitForCompletionAsync();

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => client.PurgeDeletedSecretAsync("s"));

        Assert.AreEqual(403, error.Status);
        Assert.AreEqual("Forbidden", error.ErrorCode);
        Assert.AreEqual("Recoverable", (await client.GetDeletedSecretAsync("s")).Value.Properties.RecoveryLevel);
    }

    [TestMethod]
    public async Task AccessPolicy_GetAndSetOnly_CanGetAndSet_ButNotListOrDelete()
    {
        var p = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Operator);
        var limited = factory.CreateSecretClient(vault.VaultUri!,
            factory.CreateEmulatorCredential(p.ClientId.ToString(), p.ClientSecret));
        await limited.SetSecretAsync("op-secret", "x");
        Assert.AreEqual("x", (await limited.GetSecretAsync("op-secret")).Value.Value);

        var list = await Assert.ThrowsExactlyAsync<RequestFailedException>(async () =>
        {
            await foreach (var _ in limited.GetPropertiesOfSecretsAsync())
            {
            }
        });
        var delete = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => limited.StartDeleteSecretAsync("op-secret"));

        Assert.AreEqual(403, list.Status);
        Assert.AreEqual("Forbidden", list.ErrorCode);
        Assert.AreEqual(403, delete.Status);
        var (_, body, _) = await http.SendAsync(HttpMethod.Get, $"vaults/{vault.Name}/secrets?api-version=7.6",
            principal: EmulatorPrincipals.Operator);
        Assert.AreEqual("ForbiddenByPolicy", (string?)body!["error"]!["innererror"]!["code"]);
    }

    [TestMethod]
    public async Task ManagementRoles_DoNotGrantDataPlaneAccess()
    {
        var (status, body, _) = await http.SendAsync(HttpMethod.Get, $"vaults/{vault.Name}/secrets/cik?api-version=7.6",
            principal: EmulatorPrincipals.Reader);

        Assert.AreEqual(403, status);
        Assert.AreEqual("ForbiddenByPolicy", (string?)body!["error"]!["innererror"]!["code"]);
    }

    [TestMethod]
    public async Task SoftDeletedVault_SecretsUnreachable_RecoverBringsThemBack_PurgeDestroysThem()
    {
        var name = TestEmulator.UniqueName("kv-life-");
        var lifeVault = await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup, name);
        var client = factory.CreateSecretClient(lifeVault.VaultUri!);
        await client.SetSecretAsync("kept", "v1");
        var vaults = factory.GetVaultsClient();

        await vaults.DeleteAsync(ResourceGroup, name);
        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => client.GetSecretAsync("kept"))).Status);
        await vaults.RecoverAsync(ResourceGroup, name, lifeVault.Location);
        Assert.AreEqual("v1", (await client.GetSecretAsync("kept")).Value.Value);

        await vaults.DeleteAsync(ResourceGroup, name);
        await vaults.PurgeDeletedAsync(lifeVault.Location, name);
        await DataPlaneVaults.CreateAsync(TestEmulator.Shared, ResourceGroup, name);
        Assert.AreEqual(404, (await Assert.ThrowsExactlyAsync<RequestFailedException>(() => client.GetSecretAsync("kept"))).Status);
    }

    [TestMethod]
    [DataRow("PUT", "secrets/bad_name", "{\"value\":\"v\"}", "2026-04-01")]
    [DataRow("PUT", "secrets/ok", "{\"value\":", "2026-04-01")]
    [DataRow("PUT", "secrets/ok", "[1,2]", "2026-04-01")]
    [DataRow("PUT", "secrets/ok", "{\"value\":42}", "2026-04-01")]
    [DataRow("PUT", "secrets/ok", "{\"value\":\"v\",\"attributes\":{\"exp\":\"soon\"}}", "2026-04-01")]
    [DataRow("GET", "secrets/ok", null, "1999-01-01")]
    [DataRow("GET", "secrets", null, "")]
    [DataRow("GET", "secrets?maxresults=26", null, "7.6")]
    public async Task BadRequests_Answer400BadParameter(string method, string path, string? body, string apiVersion)
    {
        var query = apiVersion.Length == 0 ? string.Empty : (path.Contains('?',
            StringComparison.Ordinal) ? "&" : "?") + "api-version=" + apiVersion;
        var (status, error, _) = await http.SendAsync(new HttpMethod(method), $"vaults/{vault.Name}/{path}{query}",
            body);

        Assert.AreEqual(400, status);
        Assert.AreEqual("BadParameter", (string?)error!["error"]!["code"]);
    }

    [TestMethod]
    public async Task OversizedValue_Is400()
    {
        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => secrets.SetSecretAsync("big",
            new string('x', SecretsLimit + 1)));

        Assert.AreEqual(400, error.Status);
        Assert.AreEqual("BadParameter", error.ErrorCode);
    }

    [TestMethod]
    public async Task ManagementToken_IsRefusedWith401()
    {
        var (status, _, response) = await http.SendAsync(HttpMethod.Get,
            $"vaults/{vault.Name}/secrets/cik?api-version=7.6", audience: "https://management.azure.com/");

        Assert.AreEqual(401, status);
        Assert.IsTrue(response.Headers.WwwAuthenticate.Count > 0);
    }

    private const int SecretsLimit = 25 * 1024;
}
