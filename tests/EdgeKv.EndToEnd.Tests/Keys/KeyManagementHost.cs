using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.EndToEnd.Tests.Keys;

/// <summary>
/// A host for the key-management tests: EdgeKv in local mode with its emulator, a premium vault (the seed's
/// learn-key-vault) and a standard one, both granting keys access to EdgeKv and to the <c>reader</c> principal (whose
/// credentials a KMS provider carries). Every response body and every flow's status (with history) is kept for the leak
/// scan.
/// </summary>
internal sealed class KeyManagementHost : IAsyncDisposable
{
    public const string PremiumVault = "learn-key-vault";
    public const string StandardVault = "learn-std-vault";
    public const string ProviderPrincipal = EmulatorPrincipals.Reader;
    private const string Group = ProvisionedState.ResourceGroup;
    private static readonly string[] AllKeys = ["get", "list", "create", "import", "update", "delete", "recover",
        "purge", "encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];

    private KeyManagementHost(InProcessHost host) => Host = host;

    public InProcessHost Host { get; }

    public List<string> Responses { get; } = [];

    public List<string> Statuses { get; } = [];

    public static async Task<KeyManagementHost> StartAsync(params string[] extraArgs)
    {
        var keys = new KeyManagementHost(await InProcessHost.StartAsync(extraArgs));
        RunningEmulator emulator = keys.Host.Emulator;
        // The vaults live in EdgeKv's own group, the only one its identity may read (the roles infra/main.bicep
        // grants); an operator (a subscription Contributor) makes them.
        await keys.Host.Contributor.GetResourceGroupsClient().CreateOrUpdateAsync(Group, emulator.DefaultLocation);
        foreach ((string name, string sku) in new[] { (PremiumVault, "premium"), (StandardVault, "standard") })
        {
            var policies = new[] { EmulatorPrincipals.EdgeKvService, ProviderPrincipal }
                .Select(p => new VaultAccessPolicy(emulator.TenantId, emulator.GetPrincipal(p).ObjectId.ToString(), [],
                    AllKeys)).ToList();
            await keys.Host.Contributor.GetVaultsClient().CreateOrUpdateAsync(Group, name,
                new VaultDefinition(emulator.DefaultLocation, emulator.TenantId, policies, SkuName: sku));
        }

        return keys;
    }

    /// <summary>
    /// The provider body of the seed: the vault's name as key collection, type azurekeyvault, a service principal's
    /// credentials.
    /// </summary>
    public object ProviderBody(string vault)
    {
        var principal = Host.Emulator.GetPrincipal(ProviderPrincipal);
        return new
        {
            provider = "azurekeyvault", keyCollection = vault,
            credentials = new { clientId = principal.ClientId.ToString(), clientSecret = principal.ClientSecret,
                tenantId = Host.Emulator.TenantId.ToString() },
        };
    }

    public string ProviderSecret => Host.Emulator.GetPrincipal(ProviderPrincipal).ClientSecret;

    /// <summary>A keys client on one of the vaults, as EdgeKv's principal (to check what the vault holds).</summary>
    public async Task<KeysClient> VaultKeysAsync(string vault)
    {
        VaultProperties properties = await Host.Factory.GetVaultsClient().GetAsync(Group, vault);
        return Host.Factory.CreateKeysClient(properties.VaultUri!);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string method, string path,
        object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await Host.Api.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Responses.Add(text);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>
    /// Sends a request that must start a flow (202), waits for it and returns its final status (with history).
    /// </summary>
    public async Task<JsonElement> RunFlowAsync(string method, string path, object? body = null)
    {
        (HttpStatusCode status, JsonElement accepted) = await SendAsync(method, path, body);
        Assert.AreEqual(HttpStatusCode.Accepted, status, accepted.ToString());
        JsonElement final = await Host.Api.PollAsync(accepted.GetProperty("statusQueryGetUri").GetString()!,
            TimeSpan.FromMinutes(5));
        Statuses.Add(final.ToString());
        return final;
    }

    /// <summary>As <see cref="RunFlowAsync"/>, and the flow must have completed.</summary>
    public async Task<JsonElement> CompleteFlowAsync(string method, string path, object? body = null)
    {
        JsonElement final = await RunFlowAsync(method, path, body);
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        return final;
    }

    /// <summary>Asserts a refusal: the status, Azure's error shape, and the code.</summary>
    public static void AssertRefused((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status,
        string code)
    {
        Assert.AreEqual(status, answer.Status, answer.Body.ToString());
        Assert.AreEqual(code, answer.Body.GetProperty("error").GetProperty("code").GetString(), answer.Body.ToString());
        Assert.IsFalse(string.IsNullOrWhiteSpace(answer.Body.GetProperty("error").GetProperty("message").GetString()));
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
