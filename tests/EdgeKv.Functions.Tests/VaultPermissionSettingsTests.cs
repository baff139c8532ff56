using EdgeKv.Activities.Activation;
using EdgeKv.Functions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Tests;

/// <summary><c>EdgeKv:VaultPermissionModel</c>: access policies unless set, Rbac when asked, anything else refused at start-up naming the setting.</summary>
[TestClass]
public sealed class VaultPermissionSettingsTests
{
    [TestMethod]
    [DataRow(null, VaultPermissionModel.AccessPolicies)]
    [DataRow("", VaultPermissionModel.AccessPolicies)]
    [DataRow("AccessPolicies", VaultPermissionModel.AccessPolicies)]
    [DataRow("Rbac", VaultPermissionModel.Rbac)]
    [DataRow("rbac", VaultPermissionModel.Rbac)]
    public void A_known_model_is_read(string? configured, VaultPermissionModel expected) =>
        Assert.AreEqual(expected, Resolve(configured).Parsed);

    [TestMethod]
    [DataRow("RBAC-ish")]
    [DataRow("1")]
    [DataRow("Policies")]
    public void Anything_else_is_refused_with_a_message_naming_the_setting_and_its_values(string configured)
    {
        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => Resolve(configured));

        StringAssert.Contains(error.Message, "EdgeKv:VaultPermissionModel must be AccessPolicies (the default) or Rbac");
        StringAssert.Contains(error.Message, configured);
    }

    private static VaultPermissionSettings Resolve(string? configured)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [VaultPermissionSettings.Key] = configured }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEdgeKvServices(configuration, Path.GetTempPath());
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<VaultPermissionSettings>>().Value;
    }
}
