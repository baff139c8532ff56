using EdgeKv.Azure;
using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// Where EdgeKv reads each token version's OpenID metadata, per cloud and from a configured authority of either form.
/// </summary>
[TestClass]
public sealed class EntraAuthorityTests
{
    private static readonly Guid Tenant = Guid.Parse("72f988bf-86f1-41af-91ab-2d7cd011db47");

    [TestMethod]
    public void EachCloud_HasBothMetadataDocumentsAtItsAuthorityHost()
    {
        var custom = new CustomCloudEndpoints
        {
            AuthorityHost = new Uri("https://login.example/"),
                ResourceManagerEndpoint = new Uri("https://management.example/"),
            ResourceManagerAudience = "https://management.example", KeyVaultSuffix = "vault.example",
            StorageSuffix = "example",
        };
        (AzureCloud Cloud, string Host)[] clouds =
        [
            (AzureCloud.AzurePublicCloud, "https://login.microsoftonline.com"),
                (AzureCloud.AzureChinaCloud, "https://login.chinacloudapi.cn"),
            (AzureCloud.AzureUSGovernment, "https://login.microsoftonline.us"),
            (AzureCloud.Parse("Custom", custom), "https://login.example"),
        ];
        foreach ((AzureCloud cloud, string host) in clouds)
        {
            EntraAuthority authority = EntraAuthority.For(cloud.AuthorityHost, Tenant);
            Assert.AreEqual($"{host}/{Tenant}/.well-known/openid-configuration", authority.V1Metadata.AbsoluteUri,
                cloud.Name);
            Assert.AreEqual($"{host}/{Tenant}/v2.0/.well-known/openid-configuration", authority.V2Metadata.AbsoluteUri,
                cloud.Name);
        }
    }

    [TestMethod]
    [DataRow("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0")]
    [DataRow("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/")]
    [DataRow("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47")]
    [DataRow("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/")]
    public void ConfiguredAuthority_OfEitherForm_NamesTheSameTenant(string configured)
    {
        EntraAuthority authority = EntraAuthority.FromAuthority(new Uri(configured));
        Assert.AreEqual($"https://login.microsoftonline.com/{Tenant}/.well-known/openid-configuration",
            authority.V1Metadata.AbsoluteUri);
        Assert.AreEqual($"https://login.microsoftonline.com/{Tenant}/v2.0/.well-known/openid-configuration",
            authority.V2Metadata.AbsoluteUri);
    }

    [TestMethod]
    public void Options_AcceptTheAppIdUriAndTheClientId()
    {
        var options = new EdgeKvAuthenticationOptions { Audience = "api://edgekv",
            ClientId = "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b" };
        options.Validate();
        CollectionAssert.AreEqual(new[] { "api://edgekv", "0e5f6a7b-1c2d-4e3f-8a9b-0c1d2e3f4a5b" },
            options.ValidAudiences.ToArray());
        CollectionAssert.AreEqual(new[] { "api://edgekv" }, new EdgeKvAuthenticationOptions().ValidAudiences.ToArray());
        Assert.ThrowsExactly<InvalidOperationException>(() => new EdgeKvAuthenticationOptions { ClientId = "edgekv" }.Validate());
    }
}
