using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// A device rotates its own credential in two phases (the new one retires the old on its first use, so a lost answer
/// costs nothing); the security team revokes a lost device's credential, and only a new activation key brings it back.
/// </summary>
[TestClass]
public sealed class DeviceCredentialTests
{
    [TestMethod]
    public async Task A_rotated_credential_retires_the_old_one_on_first_use_and_a_lost_answer_costs_nothing()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-rot1");
        await api.ActivateAsync("ase-rot1");
        using HttpResponseMessage activated = await api.Http.PostAsJsonAsync("/api/device/activate",
            new { activationKey = await api.FetchKeyAsync("ase-rot1") });
        string first = (await activated.Content.ReadFromJsonElementAsync()).GetProperty("deviceCredential").GetString()!;

        // A rotation whose answer never reaches the device: the device still holds the first credential, which still
        // works.
        string lost = await RotateAsync(api, first);
        Assert.AreEqual(HttpStatusCode.OK, await PollAsync(api, first),
            "the current credential works until the new one is used");
        string second = await RotateAsync(api, first);
        Assert.AreNotEqual(lost, second);
        Assert.AreEqual(HttpStatusCode.Unauthorized, await PollAsync(api, lost),
            "a newer rotation replaced the lost one");

        Assert.AreEqual(HttpStatusCode.OK, await PollAsync(api, second), "first use of the new credential");
        Assert.AreEqual(HttpStatusCode.Unauthorized, await PollAsync(api, first), "which retired the old one");
        Assert.AreEqual(HttpStatusCode.Unauthorized,
            (await AsDevice(api, first, HttpMethod.Post, "/api/device/ase-rot1/credential")).StatusCode,
            "the old one cannot rotate again");
        Assert.AreEqual(HttpStatusCode.OK, await PollAsync(api, second));
        Assert.IsFalse(host.Logs.Lines.Any(l => l.Contains(second, StringComparison.Ordinal) || l.Contains(first,
            StringComparison.Ordinal)), "no credential is ever logged");
    }

    [TestMethod]
    public async Task A_revoked_device_is_cut_off_until_it_activates_with_a_new_key()
    {
        using var deviceData = new TempDirectory("e2e-cred-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync();
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-rev1");
        await api.ActivateAsync("ase-rev1");
        await device.RunOkAsync("activate", "--key", await api.FetchKeyAsync("ase-rev1"));
        await device.RunOkAsync("rotate-credential");
        await device.RunOkAsync("push-secrets");
        string outstanding = await RegenerateAsync(api, "ase-rev1"); // issued before the revocation, never used

        using (HttpResponseMessage asOperator = await SendAsync(api, await host.IssueTokenAsync("operator"),
            HttpMethod.Post, "/api/resources/ase-rev1/deviceCredential/revoke"))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, asOperator.StatusCode, "revoking is the security team's");
        }

        using HttpResponseMessage revoked = await api.Http.PostAsync("/api/resources/ase-rev1/deviceCredential/revoke",
            null);
        Assert.AreEqual(HttpStatusCode.OK, revoked.StatusCode, await revoked.Content.ReadAsStringAsync());
        Assert.AreEqual("CredentialRevoked",
            (await revoked.Content.ReadFromJsonElementAsync()).GetProperty("deviceState").GetString());
        (int code, _, string error) = await device.RunAsync("push-secrets");
        Assert.AreNotEqual(0, code);
        StringAssert.Contains(error, "InvalidDeviceCredential");
        (code, _, error) = await device.RunAsync("activate", "--key", outstanding);
        Assert.AreNotEqual(0, code,
            "a key issued before the revocation may be in the same hands: it no longer activates");
        StringAssert.Contains(error, "ActivationKeySuperseded");

        await device.RunOkAsync("activate", "--key", await RegenerateAsync(api, "ase-rev1"));
        await device.RunOkAsync("push-secrets");
        Assert.AreEqual(HttpStatusCode.NotFound,
            (await api.Http.PostAsync("/api/resources/ase-none/deviceCredential/revoke", null)).StatusCode);
    }

    private static async Task<string> RegenerateAsync(EdgeKvApi api, string name)
    {
        using HttpResponseMessage regenerate = await api.Http.PostAsync($"/api/resources/{name}/activationKey/regenerate", null);
        Assert.AreEqual(HttpStatusCode.Accepted, regenerate.StatusCode, await regenerate.Content.ReadAsStringAsync());
        api.FetchTokens[name] = regenerate.Headers.GetValues("x-edgekv-activation-key-token").Single();
        JsonElement done = await api.PollAsync((await regenerate.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString(), done.ToString());
        return await api.FetchKeyAsync(name);
    }

    private static async Task<string> RotateAsync(EdgeKvApi api, string credential)
    {
        using HttpResponseMessage rotated = await AsDevice(api, credential, HttpMethod.Post,
            "/api/device/ase-rot1/credential");
        Assert.AreEqual(HttpStatusCode.OK, rotated.StatusCode, await rotated.Content.ReadAsStringAsync());
        return (await rotated.Content.ReadFromJsonElementAsync()).GetProperty("deviceCredential").GetString()!;
    }

    private static async Task<HttpStatusCode> PollAsync(EdgeKvApi api, string credential)
    {
        using HttpResponseMessage response = await AsDevice(api, credential, HttpMethod.Get,
            "/api/device/ase-rot1/syncRequest?waitSeconds=0");
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> AsDevice(EdgeKvApi api, string credential, HttpMethod method,
        string path) =>
        Send(api, new AuthenticationHeaderValue("EdgeKvDevice", credential), method, path);

    private static Task<HttpResponseMessage> SendAsync(EdgeKvApi api, string token, HttpMethod method, string path) =>
        Send(api, new AuthenticationHeaderValue("Bearer", token), method, path);

    private static async Task<HttpResponseMessage> Send(EdgeKvApi api, AuthenticationHeaderValue authorization,
        HttpMethod method, string path)
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }
}
