using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// A wrong method is a 405 with <c>Allow</c> (after authentication), and every bad body
/// is a 4xx in Azure's error shape from the one body reader, never a 500.
/// </summary>
[TestClass]
public sealed class HttpPlumbingTests
{
    private static HostFixture s_host = null!;

    [ClassInitialize]
    public static async Task StartHost(TestContext _) => s_host = await HostFixture.StartAsync();

    [ClassCleanup]
    public static async Task StopHost() => await s_host.DisposeAsync();

    [TestMethod]
    public async Task A_wrong_method_without_a_credential_is_401_first()
    {
        using var anonymous = new HttpClient { BaseAddress = s_host.Http.BaseAddress };

        using HttpResponseMessage response = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Patch,
            "/api/resources/edge-1"));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("AuthenticationFailed", await ErrorCodeAsync(response));
    }

    [TestMethod]
    public async Task A_wrong_method_with_a_credential_is_405_with_the_allowed_methods()
    {
        using HttpResponseMessage response = await s_host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Patch,
            "/api/resources/edge-1"));

        Assert.AreEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        CollectionAssert.AreEquivalent(new[] { "DELETE", "GET", "PUT" },
            response.Content.Headers.Allow.Select(m => m.ToUpperInvariant()).ToArray());
        Assert.AreEqual("MethodNotAllowed", await ErrorCodeAsync(response));
    }

    [TestMethod]
    [DataRow("{\"vaultName\":", "application/json", 400, "InvalidRequestBody", DisplayName = "truncated JSON")]
    [DataRow("[[[[", "application/json", 400, "InvalidRequestBody", DisplayName = "unclosed arrays")]
    [DataRow("{\"vaultName\":5}", "application/json", 400, "InvalidRequestBody",
        DisplayName = "a number where a string goes")]
    [DataRow("[\"\\ud800\"]", "application/json", 400, "InvalidRequestBody", DisplayName = "a lone surrogate")]
    [DataRow("{\"vaultName\":\"\\udc00x\"}", "application/json", 400, "InvalidRequestBody",
        DisplayName = "a lone low surrogate in a property")]
    [DataRow("{\"vaultName\":\"kv\"}", "text/plain", 415, "UnsupportedMediaType", DisplayName = "text/plain")]
    [DataRow("{\"vaultName\":\"kv\"}", "application/json; charset=bogus", 415, "UnsupportedCharset",
        DisplayName = "a bogus charset")]
    [DataRow("{\"vaultName\":\"kv\"}", "application/json; charset=utf-16", 415, "UnsupportedCharset",
        DisplayName = "a charset other than UTF-8")]
    [DataRow("{\"vaultName\":\"kv\"}", null, 415, "UnsupportedMediaType", DisplayName = "no content type")]
    [DataRow("not json", "application/json;;;=", 415, "UnsupportedMediaType",
        DisplayName = "an unparseable content type")]
    public async Task A_bad_activation_body_is_a_4xx_in_azure_shape(string body, string? contentType, int status,
        string code)
    {
        using HttpResponseMessage response = await PostAsync("/api/resources/edge-1/activationKey",
            Encoding.UTF8.GetBytes(body), contentType);

        Assert.AreEqual(status, (int)response.StatusCode);
        Assert.AreEqual(code, await ErrorCodeAsync(response));
    }

    [TestMethod]
    public async Task Nesting_deeper_than_the_limit_is_a_400()
    {
        string deep = new string('[', 200) + new string(']', 200);

        using HttpResponseMessage response = await PostAsync("/api/resources/edge-1/recoverVault",
            Encoding.UTF8.GetBytes(deep), "application/json");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("InvalidRequestBody", await ErrorCodeAsync(response));
    }

    [TestMethod]
    public async Task A_body_over_the_size_limit_is_a_413()
    {
        byte[] large = Encoding.UTF8.GetBytes("{\"vaultName\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");

        using HttpResponseMessage response = await PostAsync("/api/resources/edge-1/activationKey", large,
            "application/json");

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.AreEqual("RequestBodyTooLarge", await ErrorCodeAsync(response));
    }

    [TestMethod]
    public async Task Invalid_utf8_is_a_400()
    {
        using HttpResponseMessage response = await PostAsync("/api/resources/edge-1/activationKey",
            [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "application/json");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("InvalidRequestBody", await ErrorCodeAsync(response));
    }

    [TestMethod]
    public async Task An_unauthenticated_route_refuses_a_bogus_charset_with_a_415()
    {
        using var anonymous = new HttpClient { BaseAddress = s_host.Http.BaseAddress };
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"activationKey\":\"EKV1.x.y\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=bogus");

        using HttpResponseMessage response = await anonymous.PostAsync("/api/device/activate", content);

        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.AreEqual("UnsupportedCharset", await ErrorCodeAsync(response));
    }

    [TestMethod]
    public async Task Recover_vault_without_a_json_content_type_is_a_415()
    {
        using HttpResponseMessage response = await PostAsync("/api/resources/edge-1/recoverVault",
            Encoding.UTF8.GetBytes("{}"), "text/plain");

        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [TestMethod]
    public async Task A_bad_query_value_is_a_400()
    {
        using HttpResponseMessage response = await s_host.Http.GetAsync("/api/audit?top=many");

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("BadRequest", await ErrorCodeAsync(response));
    }

    private static async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        return await s_host.Http.SendAsync(request);
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString();
}
