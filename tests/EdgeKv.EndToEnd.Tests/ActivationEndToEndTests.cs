using System.Net.Http.Json;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities.Activation;
using EdgeKv.Tests.Shared;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The whole activation in local mode: a resource, the activation orchestration, the key fetched once, the device agent
/// (a real process) activating, pushing its secrets and decrypting a customer secret; then the emulator's state, checked
/// through the typed clients.
/// </summary>
[TestClass]
public sealed class ActivationEndToEndTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Activation_then_device_flow_provisions_everything_and_the_device_decrypts_a_customer_secret()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        using var deviceData = new TempDirectory("e2e-device");
        var device = new DeviceAgent(deviceData.Path);

        await host.Api.CreateResourceAsync("ase-e2e");
        JsonElement status = await host.Api.ActivateAsync("ase-e2e");
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        JsonElement summary = status.GetProperty("output");
        string vaultName = summary.GetProperty("vaultName").GetString()!;
        Assert.AreEqual(0, summary.GetProperty("warnings").GetArrayLength(), summary.ToString());

        string key = await host.Api.FetchKeyAsync("ase-e2e");
        TestContext.WriteLine(await device.RunOkAsync("activate", "--key", key));
        TestContext.WriteLine(await device.RunOkAsync("push-secrets"));
        const string customerValue = "Share-user-password-7f3a!";
        using (var put = await host.Api.Http.PutAsJsonAsync("/api/resources/ase-e2e/customerSecrets/share-user1", new { value = customerValue }))
        {
            Assert.IsTrue(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        Assert.AreEqual(customerValue, await device.RunOkAsync("get-secret", "--name", "share-user1"));

        // The emulator, through the typed clients.
        var factory = host.Factory;
        string rg = "edgekv-local";
        var vault = await factory.GetVaultsClient().GetAsync(rg, vaultName);
        Assert.AreEqual("standard", vault.SkuName);
        Assert.IsTrue(vault.EnableSoftDelete);
        Assert.AreEqual(90, vault.SoftDeleteRetentionInDays);
        Assert.IsTrue(vault.EnablePurgeProtection);
        var vaultLocks = await factory.GetManagementLocksClient().ListAsync(vault.Id);
        Assert.AreEqual(1, vaultLocks.Count);
        Assert.AreEqual("CanNotDelete", vaultLocks[0].Level);

        var accounts = await factory.GetStorageAccountsClient().ListAsync(rg);
        Assert.AreEqual(1, accounts.Count);
        Assert.AreEqual("Standard_ZRS", accounts[0].SkuName);
        Assert.AreEqual("StorageV2", accounts[0].Kind);
        Assert.AreEqual(vaultName, accounts[0].Tags[AuditStorageNames.VaultTag]);
        var accountLocks = await factory.GetManagementLocksClient().ListAsync(accounts[0].Id);
        Assert.AreEqual(1, accountLocks.Count);
        Assert.AreEqual("CanNotDelete", accountLocks[0].Level);

        var settings = await factory.GetDiagnosticSettingsClient().ListAsync(vault.Id);
        Assert.AreEqual(1, settings.Count);
        Assert.AreEqual(accounts[0].Id, settings[0].StorageAccountId, ignoreCase: true);
        CollectionAssert.Contains(settings[0].Categories.ToList(), "AuditEvent");

        var resource = await factory.GetEdgeDevicesClient().GetAsync(rg, "ase-e2e");
        var identityPolicies = vault.AccessPolicies.Where(p => string.Equals(p.ObjectId, resource.PrincipalId.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.AreEqual(1, identityPolicies.Count);
        CollectionAssert.AreEquivalent(new[] { "get", "set" }, identityPolicies[0].Secrets.Select(s => s.ToLowerInvariant()).ToArray());
        Assert.AreEqual(0, identityPolicies[0].Keys?.Count ?? 0);
        Assert.AreEqual(0, identityPolicies[0].Certificates?.Count ?? 0);
        Assert.AreEqual(0, identityPolicies[0].Storage?.Count ?? 0);

        SecretClient secrets = factory.CreateSecretClient(vault.VaultUri!);
        var names = new List<string>();
        await foreach (SecretProperties p in secrets.GetPropertiesOfSecretsAsync()) names.Add(p.Name);
        CollectionAssert.IsSubsetOf(new[] { "ChannelIntegrityKey", "BitLockerRecoveryKey", "BmcUserPassword", "share-user1" }, names);
        string bitLocker = (await secrets.GetSecretAsync("BitLockerRecoveryKey")).Value.Value;
        StringAssert.Matches(bitLocker, new System.Text.RegularExpressions.Regex(@"^\d{6}(-\d{6}){7}$"));
        Assert.AreEqual(32, Convert.FromBase64String((await secrets.GetSecretAsync("ChannelIntegrityKey")).Value.Value).Length);

        var extended = await factory.GetEdgeDevicesClient().GetExtendedInformationAsync(rg, "ase-e2e");
        Assert.AreEqual("ChannelIntegrityKey", extended.ChannelIntegrityKeyName);
    }
}
