using EdgeKv.Activities.Activation;
using EdgeKv.Functions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// <c>EdgeKv:VaultPermissionModel</c>: access policies unless set, Rbac when asked, anything else refused at start-up
/// naming the setting; Rbac needs the GUIDs of the two vault roles infra defines (<c>EdgeKv:VaultRoles:*</c>).
/// </summary>
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
        Assert.AreEqual(expected, Resolve(configured, DeviceRole, ServiceRole).Parsed);

    [TestMethod]
    public void Rbac_reads_the_two_role_ids_infra_defines()
    {
        VaultPermissionSettings settings = Resolve("Rbac", DeviceRole, ServiceRole);

        Assert.AreEqual(new EdgeKv.Activities.VaultRoleIds(Guid.Parse(DeviceRole), Guid.Parse(ServiceRole)),
            settings.RoleIds);
    }

    [TestMethod]
    [DataRow(null, ServiceRole, VaultPermissionSettings.DeviceRoleKey)]
    [DataRow(DeviceRole, "", VaultPermissionSettings.ServiceRoleKey)]
    [DataRow(DeviceRole, "not-a-guid", VaultPermissionSettings.ServiceRoleKey)]
    public void Rbac_without_a_role_id_is_refused_naming_the_setting(string? device, string? service, string missing)
    {
        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => Resolve("Rbac", device,
            service));

        StringAssert.Contains(error.Message, missing);
    }

    [TestMethod]
    public void Access_policies_need_no_role_ids() => Assert.IsNull(Resolve("AccessPolicies").RoleIds);

    private const string DeviceRole = "0f8c3a52-6d0e-4d55-9f0a-6f3f3c1d2a11";
    private const string ServiceRole = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d";

    [TestMethod]
    [DataRow("RBAC-ish")]
    [DataRow("1")]
    [DataRow("Policies")]
    public void Anything_else_is_refused_with_a_message_naming_the_setting_and_its_values(string configured)
    {
        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => Resolve(configured));

        StringAssert.Contains(error.Message,
            "EdgeKv:VaultPermissionModel must be AccessPolicies (the default) or Rbac");
        StringAssert.Contains(error.Message, configured);
    }

    private static VaultPermissionSettings Resolve(string? configured, string? deviceRole = null,
        string? serviceRole = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [VaultPermissionSettings.Key] = configured,
            [VaultPermissionSettings.DeviceRoleKey] = deviceRole,
            [VaultPermissionSettings.ServiceRoleKey] = serviceRole,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEdgeKvServices(configuration, Path.GetTempPath());
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<VaultPermissionSettings>>().Value;
    }
}
