namespace EdgeKv.Emulator.Tests;

[TestClass]
public sealed class DataPlaneWireTests
{
    private const string Rg = "rg-dp-wire";
    private const string VaultName = "kv-dp-wire";
    private static ArmHttp arm = null!;
    private static string vaultToken = null!;
    private static string armToken = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext context)
    {
        arm = new ArmHttp(TestEmulator.Shared);
        armToken = await arm.GetTokenAsync();
        vaultToken = await arm.GetTokenAsync(scope: "https://vault.azure.net/.default");
        Assert.AreEqual(201, (await arm.PutAsync($"{arm.SubscriptionPath}/resourceGroups/{Rg}?api-version=2022-09-01", armToken, """{"location":"westus2"}""")).Status);
        await arm.CreateVaultForServiceAsync(armToken, Rg, VaultName, """{"secrets":["all"],"keys":["all"]}""");
    }

    [ClassCleanup]
    public static void Cleanup() => arm.Dispose();

    [TestMethod]
    public async Task UnknownRouteAndMethod_Answer404And405WithErrorEnvelope()
    {
        var unknown = await arm.GetAsync($"/vaults/{VaultName}/certificates/c1?api-version=7.6", vaultToken);
        var method = await arm.SendAsync(HttpMethod.Post, $"/vaults/{VaultName}/secrets/s1?api-version=7.6", vaultToken,
            "{}");

        Assert.AreEqual((404, "NotFound"), (unknown.Status, unknown.ErrorCode));
        Assert.AreEqual((405, "MethodNotAllowed"), (method.Status, method.ErrorCode));
    }

    [TestMethod]
    public async Task UnknownVault_Answers404VaultNotFound()
    {
        var reply = await arm.GetAsync("/vaults/kv-nowhere/secrets/s1?api-version=7.6", vaultToken);

        Assert.AreEqual((404, "VaultNotFound"), (reply.Status, reply.ErrorCode));
    }

    [TestMethod]
    [DataRow("PUT", "secrets/s1", "")]
    [DataRow("PUT", "secrets/s1", "null")]
    [DataRow("PUT", "secrets/s1", "{\"value\":\"v\",\"tags\":[1]}")]
    [DataRow("PUT", "secrets/s1", "{\"value\":\"v\",\"attributes\":{\"enabled\":\"yes\"}}")]
    [DataRow("PATCH", "secrets/missing/", "{}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"oct\"}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"EC\",\"crv\":\"P-192\"}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"EC\",\"crv\":7}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"EC\",\"key_ops\":[\"encrypt\"]}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"RSA-HSM\"}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"RSA\",\"key_ops\":[\"import\"]}")]
    [DataRow("PUT", "keys/k1", "{\"key\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"!\",\"y\":\"!\",\"d\":\"!\"}}")]
    [DataRow("PUT", "keys/k1",
        "{\"key\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AQAB\",\"y\":\"AQAB\",\"d\":\"AQAB\"}}")]
    [DataRow("PUT", "keys/k1", "{\"key\":{\"kty\":\"EC\"}}")]
    [DataRow("PUT", "keys/k1", "{\"key\":{\"kty\":\"RSA\"},\"hsm\":\"yes\"}")]
    [DataRow("PUT", "keys/k1", "{\"key\":{\"kty\":\"RSA-HSM\",\"key_hsm\":\"AQAB\"}}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"RSA\",\"key_size\":\"big\"}")]
    [DataRow("POST", "keys/k1/create", "{\"kty\":\"RSA\",\"key_ops\":[\"fly\"]}")]
    [DataRow("PUT", "keys/k1", "{\"key\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}}")]
    [DataRow("PUT", "keys/k1",
        "{\"key\":{\"kty\":\"RSA\",\"n\":\"!\",\"e\":\"!\",\"d\":\"!\",\"p\":\"!\",\"q\":\"!\",\"dp\":\"!\",\"dq\":\"!\",\"qi\":\"!\"}}")]
    [DataRow("POST", "keys/missing/encrypt", "{\"alg\":\"RSA-OAEP\",\"value\":\"AQAB\"}")]
    [DataRow("GET", "secrets?maxresults=abc", null)]
    [DataRow("GET", "secrets?$skiptoken=-1", null)]
    public async Task GarbageRequests_Answer4xxWithErrorEnvelope_Never5xx(string method, string path, string? body)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var reply = await arm.SendAsync(new HttpMethod(method), $"/vaults/{VaultName}/{path}{separator}api-version=7.6",
            vaultToken, body);

        Assert.IsTrue(reply.Status is >= 400 and < 500, $"{reply.Status} {reply.Text}");
        Assert.IsNotNull(reply.ErrorCode, reply.Text);
    }

    [TestMethod]
    public async Task ByokGarbage_InAPremiumVault_Answers400BadParameter_AndCreatesNothing()
    {
        const string premium = "kv-dp-wire-prem";
        await arm.CreateVaultForServiceAsync(armToken, Rg, premium, """{"keys":["all"]}""", sku: "premium");
        var created = await arm.SendAsync(HttpMethod.Post, $"/vaults/{premium}/keys/kek/create?api-version=7.6", vaultToken, """{"kty":"RSA-HSM","key_ops":["import"]}""");
        Assert.AreEqual(200, created.Status, created.Text);
        var kid = (string)System.Text.Json.Nodes.JsonNode.Parse(created.Text)!["key"]!["kid"]!;
        var blobs = new[]
        {
            "not json",
            "[]",
            "{}",
            """{"header":{"alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"AQAB"}""",
            $$"""{"header":{"kid":"{{kid}}","alg":"RSA-OAEP","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"AQAB"}""",
            $$"""{"header":{"kid":"{{kid}}","alg":"dir","enc":"A256KW"},"ciphertext":"AQAB"}""",
            $$"""{"header":{"kid":"{{kid}}","alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"AQAB"}""",
            $$"""{"header":{"kid":"{{kid}}","alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"!!"}""",
            $$"""{"header":{"kid":"{{kid}}","alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"{{new string('A', 400)}}"}""",
            $$"""{"header":{"kid":"{{kid}}x","alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"AQAB"}""",
            """{"header":{"kid":"not a uri","alg":"dir","enc":"CKM_RSA_AES_KEY_WRAP"},"ciphertext":"AQAB"}""",
        };
        foreach (var blob in blobs)
        {
            var keyHsm = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(blob)).TrimEnd('=').Replace('+',
                '-').Replace('/', '_');
            var reply = await arm.PutAsync($"/vaults/{premium}/keys/byok?api-version=7.6", vaultToken, $$$"""{"key":{"kty":"RSA-HSM","key_hsm":"{{{keyHsm}}}"}}""");
            Assert.AreEqual((400, "BadParameter"), (reply.Status, reply.ErrorCode), blob + " -> " + reply.Text);
        }

        var missing = await arm.GetAsync($"/vaults/{premium}/keys/byok?api-version=7.6", vaultToken);
        Assert.AreEqual(404, missing.Status);
    }

    [TestMethod]
    public async Task EventSubscription_GarbageBodies_Answer400()
    {
        var path = $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.EventGrid/eventSubscriptions/es1?api-version=2022-06-15";
        foreach (var body in new[] { "{}", """{"properties":{}}""", """{"properties":{"destination":{"endpointType":"EventHub"}}}""",
            """{"properties":{"destination":{"endpointType":"WebHook","properties":{"endpointUrl":"http://127.0.0.1:1/x"}},"eventDeliverySchema":"Custom"}}""",
            """{"properties":{"destination":{"endpointType":"WebHook","properties":{"endpointUrl":"not a url"}}}}""" })
        {
            var reply = await arm.PutAsync(path, armToken, body);
            Assert.AreEqual(400, reply.Status, body + " -> " + reply.Text);
        }
    }

    [TestMethod]
    public async Task UnreachableWebhook_FailsTheHandshake()
    {
        var path = $"{arm.SubscriptionPath}/resourceGroups/{Rg}/providers/Microsoft.EventGrid/eventSubscriptions/unreachable?api-version=2022-06-15";
        var reply = await arm.PutAsync(path, armToken, """{"properties":{"destination":{"endpointType":"WebHook","properties":{"endpointUrl":"http://127.0.0.1:1/api/events"}}}}""");

        Assert.AreEqual((400, "Url validation"), (reply.Status, reply.ErrorCode));
    }
}
