using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// One host for the security tests: two resources activated end to end (ase-a, ase-b), each device's credential taken
/// from <c>POST /api/device/activate</c>, device secrets pushed and a customer secret stored; tokens for every caller.
/// </summary>
internal sealed class SecuredHost : IAsyncDisposable
{
    public const string A = "ase-a";
    public const string B = "ase-b";
    public const string CustomerSecret = "share-user1";
    public const string CustomerValue = "Customer-matrix-secret-5d71";
    public const string BitLocker = "111111-222222-333333-444444-555555-666666-777777-888888";
    public const string Bmc = "Bmc-Matrix-Pass-0042!";

    private static readonly Lock Gate = new();
    private static Task<SecuredHost>? shared;

    private SecuredHost(InProcessHost host) => Host = host;

    /// <summary>
    /// The one secured host the security test classes share (activating two resources takes a while).
    /// </summary>
    public static Task<SecuredHost> SharedAsync()
    {
        lock (Gate) return shared ??= StartAsync([]);
    }

    public static async Task DisposeSharedAsync()
    {
        Task<SecuredHost>? started;
        lock (Gate) (started, shared) = (shared, null);
        if (started is { IsCompletedSuccessfully: true }) await started.Result.DisposeAsync();
    }

    public InProcessHost Host { get; }

    public ConcurrentDictionary<string, string> DeviceCredentials { get; } = new();

    public ConcurrentDictionary<string, string> ActivationKeys { get; } = new();

    public ConcurrentDictionary<string, string> Ciks { get; } = new();

    public ConcurrentDictionary<string, string> VaultNames { get; } = new();

    /// <summary>Authorization header value per caller name.</summary>
    public Dictionary<string, string?> Callers { get; } = [];

    public static async Task<SecuredHost> StartAsync(params string[] extraArgs)
    {
        var secured = new SecuredHost(await InProcessHost.StartAsync(extraArgs));
        await Task.WhenAll(secured.ActivateAsync(A), secured.ActivateAsync(B));
        InProcessHost h = secured.Host;
        secured.Callers["security-team"] = "Bearer " + await h.IssueTokenAsync("security-team");
        secured.Callers["operator"] = "Bearer " + await h.IssueTokenAsync("operator");
        secured.Callers["auditor"] = "Bearer " + await h.IssueTokenAsync("auditor");
        secured.Callers["no-roles"] = "Bearer " + await h.IssueTokenAsync("no-roles");
        secured.Callers["device-a"] = "EdgeKvDevice " + secured.DeviceCredentials[A];
        secured.Callers["device-b"] = "EdgeKvDevice " + secured.DeviceCredentials[B];
        secured.Callers["none"] = null;
        secured.Callers["bad-token"] = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.bm90LWEtc2lnbmF0dXJl";
        secured.Callers["expired-token"] = "Bearer " + await h.IssueTokenAsync("security-team",
            lifetime: TimeSpan.FromMinutes(-10));
        secured.Callers["other-audience"] = "Bearer " + await h.IssueTokenAsync("security-team",
            "https://management.azure.com/");
        secured.Callers["bad-device"] = "EdgeKvDevice not-a-credential";
        return secured;
    }

    public async Task<HttpResponseMessage> SendAsync(string caller, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Callers[caller] is { } header)
        {
            int space = header.IndexOf(' ', StringComparison.Ordinal);
            request.Headers.Authorization = new AuthenticationHeaderValue(header[..space], header[(space + 1)..]);
        }

        if (body is not null) request.Content = JsonContent.Create(body);
        using var client = new HttpClient { BaseAddress = Host.Api.BaseAddress };
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Activates one more resource end to end, for a test that changes it in a way the other classes sharing this host
    /// must not see (they read ase-a and ase-b in parallel, in any order).
    /// </summary>
    public async Task ActivateAsync(string name)
    {
        EdgeKvApi api = Host.Api;
        await api.CreateResourceAsync(name);
        JsonElement status = await api.ActivateAsync(name);
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        VaultNames[name] = status.GetProperty("output").GetProperty("vaultName").GetString()!;
        string key = await api.FetchKeyAsync(name);
        ActivationKeys[name] = key;
        using HttpResponseMessage activated = await api.Http.PostAsJsonAsync("/api/device/activate",
            new { activationKey = key });
        Assert.IsTrue(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());
        JsonElement device = await activated.Content.ReadFromJsonAsync<JsonElement>();
        string credential = device.GetProperty("deviceCredential").GetString()!;
        DeviceCredentials[name] = credential;
        Ciks[name] = device.GetProperty("channelIntegrityKey").GetString()!;

        using var deviceClient = new HttpClient { BaseAddress = api.BaseAddress };
        deviceClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("EdgeKvDevice", credential);
        using HttpResponseMessage pushed = await deviceClient.PutAsJsonAsync($"/api/device/{name}/secrets",
            new { bitLockerRecoveryKey = BitLocker, bmcUserPassword = Bmc });
        Assert.IsTrue(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        using HttpResponseMessage customer = await api.Http.PutAsJsonAsync($"/api/resources/{name}/customerSecrets/{CustomerSecret}", new { value = CustomerValue });
        Assert.IsTrue(customer.IsSuccessStatusCode, await customer.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Stops the shared secured host after the last test.</summary>
[TestClass]
public static class SecuredHostLifetime
{
    [AssemblyCleanup]
    public static Task StopAsync() => SecuredHost.DisposeSharedAsync();
}
