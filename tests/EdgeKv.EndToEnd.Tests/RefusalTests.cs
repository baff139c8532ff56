using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Every refusal is a clear 4xx in Azure's error envelope, and changes nothing: no write reaches Resource Manager or
/// the vault (the emulator's request log) and EdgeKv's record stays as it was.
/// </summary>
[TestClass]
public sealed class RefusalTests
{
    private static InProcessHost host = null!;
    private static TempDirectory deviceData = null!;
    private static string activationKey = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        host = await InProcessHost.StartAsync();
        deviceData = new TempDirectory("e2e-device");
        await host.Api.CreateResourceAsync("ase-refusals");
        JsonElement status = await host.Api.ActivateAsync("ase-refusals");
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        activationKey = await host.Api.FetchKeyAsync("ase-refusals");
        await host.Api.CreateResourceAsync("ase-fresh");

        var vaults = host.Factory.GetVaultsClient();
        var definition = new VaultDefinition(host.Emulator.DefaultLocation, host.Emulator.TenantId, [],
            EnablePurgeProtection: false);
        await vaults.CreateOrUpdateAsync(ProvisionedState.ResourceGroup, "someone-elses-kv", definition);
        await vaults.CreateOrUpdateAsync(ProvisionedState.ResourceGroup, "deleted-kv-1", definition);
        await vaults.DeleteAsync(ProvisionedState.ResourceGroup, "deleted-kv-1");
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await host.DisposeAsync();
        deviceData.Dispose();
    }

    [TestMethod]
    public Task Invalid_vault_name_is_refused_with_400_VaultNameNotValid() =>
        AssertActivationRefusedAsync("ase-fresh", "9-bad--name", HttpStatusCode.BadRequest, "VaultNameNotValid");

    [TestMethod]
    public Task Vault_name_in_use_is_refused_with_409_VaultNameInUse() =>
        AssertActivationRefusedAsync("ase-fresh", "someone-elses-kv", HttpStatusCode.Conflict, "VaultNameInUse");

    [TestMethod]
    public Task Vault_name_held_by_a_soft_deleted_vault_is_refused_with_409_VaultNameSoftDeleted() =>
        AssertActivationRefusedAsync("ase-fresh", "deleted-kv-1", HttpStatusCode.Conflict, "VaultNameSoftDeleted");

    [TestMethod]
    public Task Missing_resource_is_refused_with_404_ResourceNotFound() =>
        AssertActivationRefusedAsync("no-such-ase", null, HttpStatusCode.NotFound, "ResourceNotFound");

    [TestMethod]
    public async Task Tampered_activation_key_is_refused_by_the_device_api_and_the_agent()
    {
        string[] parts = activationKey.Split('.');
        string payload = Encoding.UTF8.GetString(FromBase64Url(parts[1])).Replace("ase-refusals", "ase-fresh",
            StringComparison.Ordinal);
        string tampered = $"{parts[0]}.{ToBase64Url(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        await AssertDeviceActivationRefusedAsync(tampered, HttpStatusCode.BadRequest, "ActivationKeyInvalid");
    }

    [TestMethod]
    public async Task Expired_activation_key_is_refused_with_400_ActivationKeyExpired()
    {
        // Signed with EdgeKv's own key (so only the expiry is wrong) but expired a minute ago.
        var codec = new ActivationKeyCodec(Path.Combine(host.DataPath, "activation-signing.key"), TimeProvider.System);
        Assert.IsTrue(codec.TryRead(activationKey, out ActivationKeyClaims? claims, out _));
        string expired = codec.Write(claims! with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        await AssertDeviceActivationRefusedAsync(expired, HttpStatusCode.BadRequest, "ActivationKeyExpired");
    }

    [TestMethod]
    public async Task Second_activation_with_the_same_key_is_refused_with_409_ActivationKeyUsed()
    {
        string folder = Path.Combine(deviceData.Path, "second");
        (int first, _, string firstError) = await new DeviceAgent(folder).RunAsync("activate", "--key", activationKey);
        if (first != 0) StringAssert.Contains(firstError,
            "ActivationKeyUsed"); // another test in this class may have used it already
        await AssertDeviceActivationRefusedAsync(activationKey, HttpStatusCode.Conflict, "ActivationKeyUsed");
    }

    [TestMethod]
    public async Task Fetching_the_activation_key_a_second_time_is_refused_with_409()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources/ase-refusals/activationKey");
        request.Headers.Add("x-edgekv-activation-key-token", host.Api.FetchTokens["ase-refusals"]);
        using HttpResponseMessage again = await host.Api.Http.SendAsync(request);
        await AssertEnvelopeAsync(again, HttpStatusCode.Conflict, "ActivationKeyAlreadyDelivered");
    }

    [TestMethod]
    public async Task Fetching_the_activation_key_without_the_starters_token_is_refused_with_403()
    {
        using HttpResponseMessage anonymous = await host.Api.Http.GetAsync("/api/resources/ase-refusals/activationKey");
        await AssertEnvelopeAsync(anonymous, HttpStatusCode.Forbidden, "InvalidFetchToken");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/resources/ase-refusals/activationKey");
        request.Headers.Add("x-edgekv-activation-key-token", "not-the-token");
        using HttpResponseMessage wrong = await host.Api.Http.SendAsync(request);
        await AssertEnvelopeAsync(wrong, HttpStatusCode.Forbidden, "InvalidFetchToken");
    }

    private static async Task AssertActivationRefusedAsync(string resource, string? vaultName, HttpStatusCode status,
        string code)
    {
        string? before = await RecordJsonAsync(resource);
        await host.Emulator.Admin.ClearRequestsAsync();
        using HttpResponseMessage response = await host.Api.StartActivationAsync(resource, vaultName);
        await AssertEnvelopeAsync(response, status, code);
        await AssertNothingWrittenAsync();
        Assert.AreEqual(before, await RecordJsonAsync(resource), "EdgeKv's record is unchanged");
        using HttpResponseMessage instance = await host.Api.Http.GetAsync($"/api/durabletask/instances/activation-{resource}");
        Assert.AreEqual(HttpStatusCode.NotFound, instance.StatusCode, "no orchestration was started");
    }

    private static async Task AssertDeviceActivationRefusedAsync(string key, HttpStatusCode status, string code)
    {
        string? before = await RecordJsonAsync("ase-refusals");
        await host.Emulator.Admin.ClearRequestsAsync();
        using HttpResponseMessage response = await host.Api.Http.PostAsJsonAsync("/api/device/activate",
            new { activationKey = key });
        await AssertEnvelopeAsync(response, status, code);

        (int exit, _, string error) = await new DeviceAgent(Path.Combine(deviceData.Path,
            Guid.NewGuid().ToString("N"))).RunAsync("activate", "--key", key, "--endpoint",
                host.Api.BaseAddress.ToString());
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, code);
        await AssertNothingWrittenAsync();
        Assert.AreEqual(before, await RecordJsonAsync("ase-refusals"), "EdgeKv's record is unchanged");
    }

    private static async Task AssertEnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, body);
        JsonElement error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.AreEqual(code, error.GetProperty("code").GetString(), body);
        Assert.IsFalse(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    private static async Task AssertNothingWrittenAsync()
    {
        var writes = (await host.Emulator.Admin.GetRequestsAsync())
            .Where(r => r.Method is "PUT" or "PATCH" or "DELETE" || (r.Method == "POST" && !r.Path.EndsWith("/checkNameAvailability", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.AreEqual(0, writes.Count, string.Join(", ", writes.Select(w => $"{w.Method} {w.Path}")));
    }

    private static async Task<string?> RecordJsonAsync(string name)
    {
        using HttpResponseMessage response = await host.Api.Http.GetAsync($"/api/resources/{name}");
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private static byte[] FromBase64Url(string text)
    {
        string b64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+',
        '-').Replace('/', '_');
}
