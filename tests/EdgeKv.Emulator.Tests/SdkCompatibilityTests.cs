using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.Tests;

/// <summary>
/// What SDKs other than EdgeKv's send: every published api-version, scopes percent-encoded or with an empty parent
/// path, the generic resource list, the discovery document, ids whose host serves the vault.
/// </summary>
[TestClass]
public sealed class SdkCompatibilityTests
{
    private const string Rg = "rg-sdk-compat";
    private const string VaultName = "kv-sdk-compat";
    private const string Account = "stsdkcompat";
    private static ArmHttp arm = null!;
    private static string token = null!;
    private static string vaultToken = null!;
    private static string vaultId = null!;
    private static Uri vaultUri = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        token = await arm.GetTokenAsync();
        vaultToken = await arm.GetTokenAsync(scope: "https://vault.azure.net/.default");
        var service = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId;
        Assert.AreEqual(201, (await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}?api-version=2025-04-01", token, """{"location":"westus2"}""")).Status);
        var vault = await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/{VaultName}?api-version=2026-02-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"enableRbacAuthorization":false,"accessPolicies":[{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","objectId":"{{{service}}}","permissions":{"secrets":["all"],"keys":["all"]}}]}}""");
        Assert.AreEqual(201, vault.Status, vault.Text);
        vaultId = (string)vault.Json!["id"]!;
        vaultUri = new Uri((string)vault.Json!["properties"]!["vaultUri"]!);
        var account = await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/{Account}?api-version=2026-09-01", token,
            """{"location":"westus2","kind":"StorageV2","sku":{"name":"Standard_LRS"}}""");
        Assert.AreEqual(202, account.Status, account.Text);
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    [TestMethod]
    public async Task EveryListedVersion_IsAcceptedForVaults_AndAnUnpublishedOneIsRefused()
    {
        foreach (var version in ProviderCatalog.VersionsOf("Microsoft.KeyVault/vaults"))
        {
            var reply = await arm.GetAsync($"{vaultId}?api-version={version}", token);
            Assert.AreEqual(200, reply.Status, $"{version}: {reply.Text}");
        }

        Assert.AreEqual("NoRegisteredProviderFound",
            (await arm.GetAsync($"{vaultId}?api-version=2026-01-01", token)).ErrorCode);
    }

    [TestMethod]
    [DataRow("Microsoft.Authorization/locks/l-enc", """{"properties":{"level":"CanNotDelete"}}""", "2020-05-01")]
    [DataRow("Microsoft.Insights/diagnosticSettings/d-enc", "DIAG", "2021-05-01-preview")]
    [DataRow("Microsoft.Authorization/roleAssignments/3f5c1b2e-0000-4000-8000-00000000c0de", "ROLE", "2022-04-01")]
    public async Task ExtensionResource_PutWithEncodedScope_ReadWithEmptyParentPath_HasTheCanonicalId(string extension,
        string body, string version)
    {
        var owner = TestEmulator.Shared.GetPrincipal(EmulatorPrincipals.Reader).ObjectId;
        body = body switch
        {
            "DIAG" => $$$"""{"properties":{"storageAccountId":"{{{arm.SubscriptionPath}}}/resourceGroups/{{{Rg}}}/providers/Microsoft.Storage/storageAccounts/{{{Account}}}","logs":[{"category":"AuditEvent","enabled":true}]}}""",
            "ROLE" => $$$"""{"properties":{"roleDefinitionId":"{{{arm.SubscriptionPath}}}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7","principalId":"{{{owner}}}"}}""",
            _ => body,
        };
        var encoded = "/" + Uri.EscapeDataString(vaultId) + "/providers/" + extension + $"?api-version={version}";
        var emptyParent = $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.KeyVault//vaults/{VaultName}/providers/{extension}?api-version={version}";

        var put = await arm.PutAsync(encoded, token, body);
        var get = await arm.GetAsync(emptyParent, token);
        var delete = await arm.SendAsync(HttpMethod.Delete, emptyParent, token);

        Assert.IsTrue(put.Status is 200 or 201,
            put.Text); // diagnostic settings answer 200 on create, as their specification says
        Assert.AreEqual(200, get.Status, get.Text);
        Assert.AreEqual($"{vaultId}/providers/{extension}", (string)get.Json!["id"]!, ignoreCase: true);
        Assert.AreEqual(200, delete.Status, delete.Text);
    }

    [TestMethod]
    public async Task EventSubscriptions_ListByEncodedScope_Answers200()
    {
        var reply = await arm.GetAsync("/" + Uri.EscapeDataString(vaultId) + "/providers/Microsoft.EventGrid/eventSubscriptions?api-version=2025-02-15", token);

        Assert.AreEqual(200, reply.Status, reply.Text);
        Assert.IsNotNull(reply.Json!["value"]);
    }

    [TestMethod]
    public async Task Locks_HaveSystemDataFrom2020_05_01_AndNoneAt2016_09_01()
    {
        var path = $"{vaultId}/providers/Microsoft.Authorization/locks/l-versions";
        Assert.AreEqual(201, (await arm.PutAsync($"{path}?api-version=2016-09-01", token, """{"properties":{"level":"CanNotDelete"}}""")).Status);

        var old = await arm.GetAsync($"{path}?api-version=2016-09-01", token);
        var current = await arm.GetAsync($"{path}?api-version=2020-05-01", token);
        await arm.SendAsync(HttpMethod.Delete, $"{path}?api-version=2020-05-01", token);

        Assert.IsNull(old.Json!["systemData"]);
        Assert.IsNotNull((string?)current.Json!["systemData"]?["createdAt"]);
    }

    [TestMethod]
    public async Task GenericResourceList_FiltersByType_ScopesToTheGroup_AndPages()
    {
        var filter = Uri.EscapeDataString("resourceType eq 'Microsoft.KeyVault/vaults'");
        var vaults = await arm.GetAsync($"{arm.SubscriptionPath}/resources?$filter={filter}&api-version=2015-11-01",
            token);
        var group = await arm.GetAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}/resources?api-version=2021-04-01",
            token);
        var first = await arm.GetAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}/resources?$top=1&api-version=2021-04-01", token);

        var vaultItems = vaults.Json!["value"]!.AsArray();
        Assert.IsTrue(vaultItems.All(v => (string)v!["type"]! == "Microsoft.KeyVault/vaults"));
        Assert.IsTrue(vaultItems.Any(v => (string)v!["id"]! == vaultId));
        Assert.IsNull(vaultItems[0]!["properties"]);
        CollectionAssert.AreEquivalent(new[] { "Microsoft.KeyVault/vaults", "Microsoft.Storage/storageAccounts" },
            group.Json!["value"]!.AsArray().Select(r => (string)r!["type"]!).ToArray());
        Assert.HasCount(1, first.Json!["value"]!.AsArray());
        var next = new Uri((string)first.Json!["nextLink"]!);
        Assert.AreEqual(TestEmulator.Shared.Endpoint.Authority, next.Authority);
        Assert.HasCount(1, (await arm.GetAsync(next.PathAndQuery, token)).Json!["value"]!.AsArray());
    }

    [TestMethod]
    public async Task GenericResourceList_UnsupportedFilter_Answers400()
    {
        var reply = await arm.GetAsync($"{arm.SubscriptionPath}/resources?$filter={Uri.EscapeDataString("tagName eq 'x'")}&api-version=2021-04-01", token);

        Assert.AreEqual((400, "InvalidFilterInQueryString"), (reply.Status, reply.ErrorCode));
    }

    [TestMethod]
    public async Task DiscoveryDocument_HasTheFieldsOpenIdConnectDiscoveryRequires()
    {
        var document = (await arm.GetAsync($"/{TestEmulator.Shared.TenantId}/v2.0/.well-known/openid-configuration",
            null)).Json!;
        var instance = (await arm.GetAsync($"/common/discovery/instance?api-version=1.1&authorization_endpoint={Uri.EscapeDataString((string)document["authorization_endpoint"]!)}", null)).Json!;
        var unknown = await arm.GetAsync($"/{Guid.NewGuid()}/v2.0/.well-known/openid-configuration", null);

        foreach (var field in new[] { "issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
            "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported" })
        {
            Assert.IsNotNull(document[field], field);
        }

        Assert.AreEqual(TestEmulator.Shared.Issuer, (string)document["issuer"]!);
        StringAssert.StartsWith((string)instance["tenant_discovery_endpoint"]!,
            TestEmulator.Shared.Endpoint.AbsoluteUri);
        Assert.AreEqual(400, unknown.Status);
    }

    [TestMethod]
    public async Task VaultUri_IsAnAuthorityOfItsOwn_AndASecretIdIsServedWhereItPoints()
    {
        var set = await arm.PutAsync($"/vaults/{VaultName}/secrets/followed?api-version=7.6", vaultToken, """{"value":"v1"}""");
        var id = new Uri((string)set.Json!["id"]!);
        using var http = new HttpClient(TestEmulator.Shared.CreateTrustingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{id}?api-version=7.6");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", vaultToken);
        using var followed = await http.SendAsync(request);

        Assert.AreEqual(("127.0.0.1", "/"), (vaultUri.Host, vaultUri.AbsolutePath));
        Assert.AreNotEqual(TestEmulator.Shared.Endpoint.Port, vaultUri.Port);
        Assert.AreEqual(vaultUri.Authority, id.Authority);
        StringAssert.StartsWith(id.AbsolutePath, "/secrets/followed/");
        Assert.AreEqual(200, (int)followed.StatusCode);
        Assert.AreEqual("v1", (string)JsonNode.Parse(await followed.Content.ReadAsStringAsync())!["value"]!);
    }

    [TestMethod]
    public async Task KeyId_PointsAtTheVaultsOwnPort_AndServesCryptography()
    {
        var created = await arm.SendAsync(HttpMethod.Post, $"/vaults/{VaultName}/keys/kid-followed/create?api-version=7.6", vaultToken, """{"kty":"RSA","key_size":2048}""");
        var kid = new Uri((string)created.Json!["key"]!["kid"]!);
        using var http = new HttpClient(TestEmulator.Shared.CreateTrustingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{kid}/encrypt?api-version=7.6")
        {
            Content = new StringContent("""{"alg":"RSA-OAEP","value":"aGVsbG8"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", vaultToken);
        using var encrypted = await http.SendAsync(request);

        Assert.AreEqual(vaultUri.Authority, kid.Authority);
        Assert.AreEqual(200, (int)encrypted.StatusCode, await encrypted.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task DiagnosticSettings_At2017_05_01_Preview_HaveNoCategoryGroups()
    {
        var path = $"{vaultId}/providers/Microsoft.Insights/diagnosticSettings/d-2017";
        var storage = $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.Storage/storageAccounts/{Account}";
        var groupIn2017 = await arm.PutAsync($"{path}?api-version=2017-05-01-preview", token,
            $$$"""{"properties":{"storageAccountId":"{{{storage}}}","logs":[{"categoryGroup":"audit","enabled":true}]}}""");
        var put = await arm.PutAsync($"{path}?api-version=2021-05-01-preview", token,
            $$$"""{"properties":{"storageAccountId":"{{{storage}}}","logs":[{"categoryGroup":"audit","enabled":true}]}}""");
        var old = await arm.GetAsync($"{path}?api-version=2017-05-01-preview", token);
        var current = await arm.GetAsync($"{path}?api-version=2021-05-01-preview", token);
        await arm.SendAsync(HttpMethod.Delete, $"{path}?api-version=2021-05-01-preview", token);

        Assert.AreEqual(400, groupIn2017.Status);
        Assert.AreEqual(200, put.Status, put.Text);
        Assert.IsFalse(old.Json!["properties"]!["logs"]![0]!.AsObject().ContainsKey("categoryGroup"));
        Assert.AreEqual("audit", (string?)current.Json!["properties"]!["logs"]![0]!["categoryGroup"]);
    }

    [TestMethod]
    public async Task PurgedVault_ReleasesItsPort()
    {
        const string name = "kv-sdk-purged";
        var created = await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/{name}?api-version=2024-11-01", token,
            $$$"""{"location":"westus2","properties":{"tenantId":"{{{TestEmulator.Shared.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]}}""");
        var port = new Uri((string)created.Json!["properties"]!["vaultUri"]!).Port;

        await arm.SendAsync(HttpMethod.Delete,
            $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.KeyVault/vaults/{name}?api-version=2024-11-01", token);
        var purge = await arm.SendAsync(HttpMethod.Post,
            $"{arm.SubscriptionPath}/providers/Microsoft.KeyVault/locations/westus2/deletedVaults/{name}/purge?api-version=2024-11-01", token);

        Assert.AreEqual(202, purge.Status, purge.Text);
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsExactlyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync(System.Net.IPAddress.Loopback, port));
    }
}
