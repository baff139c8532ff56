using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// Each cloud's clients address that cloud's hosts and ask for that cloud's token scopes: sign-in, Resource Manager,
/// Key Vault and Storage. Nothing leaves the machine: the transport records the host it was about to connect to and
/// refuses the connection.
/// </summary>
[TestClass]
public sealed class CloudEndpointsTests
{
    public static IEnumerable<object[]> Clouds => AzureCloud.All.Select(c => new object[] { c.Name });

    [TestMethod]
    [DynamicData(nameof(Clouds))]
    public async Task Sign_in_goes_to_the_clouds_own_Entra_ID(string cloudName)
    {
        AzureCloud cloud = AzureCloud.Parse(cloudName);
        using var network = new RecordingNetwork();
        using var factory = Factory(cloud, network, credential: null);

        await Assert.ThrowsAsync<Exception>(async () => await factory.Credential.GetTokenAsync(new TokenRequestContext([cloud.ResourceManagerScope]), default));

        Assert.AreEqual(cloud.AuthorityHost.Host, network.Hosts.First());
    }

    [TestMethod]
    [DynamicData(nameof(Clouds))]
    public async Task Resource_Manager_Key_Vault_and_Storage_calls_go_to_the_clouds_hosts_with_its_scopes(string cloudName)
    {
        AzureCloud cloud = AzureCloud.Parse(cloudName);
        using var network = new RecordingNetwork();
        var credential = new RecordingCredential();
        using var factory = Factory(cloud, network, credential);

        await Assert.ThrowsAsync<RequestFailedException>(() => factory.GetVaultsClient().GetAsync("rg1", "kv1"));
        await Assert.ThrowsAsync<RequestFailedException>(() => factory.CreateKeysClient(new Uri($"https://kv1.{cloud.KeyVaultSuffix}/")).GetKeyAsync("k1"));
        await Assert.ThrowsAsync<RequestFailedException>(() => factory.CreateAuditLogsClient("audit1").ListAuditBlobsAsync("/subscriptions/s/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1"));

        CollectionAssert.AreEqual(new[] { cloud.ResourceManagerEndpoint.Host, $"kv1.{cloud.KeyVaultSuffix}",
            $"audit1.blob.{cloud.StorageSuffix}" }, network.Hosts.Distinct().ToArray());
        // The Key Vault SDK asks for its token only after the vault's challenge names the resource: nothing answers
        // here.
        CollectionAssert.AreEqual(new[] { cloud.ResourceManagerScope, "https://storage.azure.com/.default" },
            credential.Scopes.Distinct().ToArray());
    }

    [TestMethod]
    public void The_public_cloud_is_the_default_and_the_other_names_are_case_insensitive()
    {
        Assert.AreSame(AzureCloud.AzurePublicCloud, AzureCloud.Parse(null));
        Assert.AreSame(AzureCloud.AzureUSGovernment, AzureCloud.Parse("azureusgovernment"));
        Assert.AreEqual("https://vault.azure.cn/.default", AzureCloud.AzureChinaCloud.KeyVaultScope);
        Assert.AreEqual("https://management.usgovcloudapi.net/.default",
            AzureCloud.AzureUSGovernment.ResourceManagerScope);
    }

    [TestMethod]
    public void The_retired_Germany_cloud_and_unknown_clouds_are_refused_with_the_reason()
    {
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => AzureCloud.Parse("AzureGermanCloud")).Message, "AzurePublicCloud");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => AzureCloud.Parse("Mars")).Message,
            "AzureChinaCloud");
    }

    [TestMethod]
    public async Task A_custom_clouds_clients_address_the_endpoints_its_settings_give()
    {
        AzureCloud cloud = AzureCloud.Parse("custom", new CustomCloudEndpoints
        {
            AuthorityHost = new Uri("https://login.stack.example/"),
            ResourceManagerEndpoint = new Uri("https://management.stack.example/"),
            ResourceManagerAudience = "https://management.stack.example/",
            KeyVaultSuffix = "vault.stack.example",
            StorageSuffix = "stack.example",
            BlobEndpointFormat = "https://blobs.stack.example/{account}/",
        });
        using var network = new RecordingNetwork();
        var credential = new RecordingCredential();
        using var factory = Factory(cloud, network, credential);

        await Assert.ThrowsAsync<RequestFailedException>(() => factory.GetVaultsClient().GetAsync("rg1", "kv1"));
        await Assert.ThrowsAsync<RequestFailedException>(() => factory.CreateKeysClient(new Uri("https://kv1.vault.stack.example/")).GetKeyAsync("k1"));
        await Assert.ThrowsAsync<RequestFailedException>(() => factory.CreateAuditLogsClient("audit1").ListAuditBlobsAsync("/subscriptions/s/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1"));

        CollectionAssert.AreEqual(new[] { "management.stack.example", "kv1.vault.stack.example",
            "blobs.stack.example" }, network.Hosts.Distinct().ToArray());
        CollectionAssert.AreEqual(new[] { "https://management.stack.example/.default",
            "https://storage.azure.com/.default" }, credential.Scopes.Distinct().ToArray());
        Assert.IsTrue(cloud.VerifyKeyVaultChallengeResource, "on unless the settings turn it off");
    }

    [TestMethod]
    public void A_custom_cloud_without_its_endpoints_or_with_plain_http_is_refused_naming_the_setting()
    {
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => AzureCloud.Parse("Custom")).Message,
            "EdgeKv:Azure:CustomCloud");
        var endpoints = new CustomCloudEndpoints
        {
            AuthorityHost = new Uri("http://login.stack.example/"),
                ResourceManagerEndpoint = new Uri("https://management.stack.example/"),
            ResourceManagerAudience = "https://management.stack.example", KeyVaultSuffix = "vault.stack.example",
            StorageSuffix = "stack.example",
        };
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => AzureCloud.Parse("Custom",
            endpoints)).Message, "AuthorityHost");
        endpoints.AuthorityHost = new Uri("https://login.stack.example/");
        endpoints.KeyVaultSuffix = " ";
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => AzureCloud.Parse("Custom",
            endpoints)).Message, "KeyVaultSuffix");
    }

    private static EdgeKvAzureClientFactory Factory(AzureCloud cloud, RecordingNetwork network,
        TokenCredential? credential) => new(new EdgeKvAzureOptions
    {
        Mode = AzureMode.Azure,
        Cloud = cloud,
        SubscriptionId = "00000000-0000-4000-8000-000000000001",
        TenantId = Guid.Parse("00000000-0000-4000-8000-000000000002"),
        ClientId = "00000000-0000-4000-8000-000000000003",
        ClientSecret = "not-a-secret",
        Credential = credential,
        MaxRetries = 0,
        Transport = network.Transport,
    });

    /// <summary>Records the host of every connection attempt and refuses it.</summary>
    private sealed class RecordingNetwork : IDisposable
    {
        private readonly ConcurrentQueue<string> hosts = new();
        private readonly HttpClient client;

        public RecordingNetwork()
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = (context, _) =>
                {
                    hosts.Enqueue(context.DnsEndPoint.Host);
                    throw new HttpRequestException("refused: this test records the host and connects nowhere");
                },
            };
            client = new HttpClient(handler);
            Transport = new HttpClientTransport(client);
        }

        public HttpPipelineTransport Transport { get; }

        public IReadOnlyList<string> Hosts => [.. hosts];

        public void Dispose() => client.Dispose();
    }

    /// <summary>Records the scopes asked for; the token it gives is never seen by any service.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        private readonly ConcurrentQueue<string> scopes = new();

        public IReadOnlyList<string> Scopes => [.. scopes];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (string scope in requestContext.Scopes) scopes.Enqueue(scope);
            return new AccessToken("recorded", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext,
            CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
