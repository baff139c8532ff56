using EdgeKv.Azure.Keys;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.EndToEnd.Tests.Keys;

/// <summary>
/// Distribution and rotation complete while 30 % of Resource Manager and vault calls fail, with one Azure version per
/// EdgeKv version.
/// </summary>
[TestClass]
public sealed class KeyDistributionFaultTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Distribution_and_rotation_complete_under_30_percent_injected_faults_with_one_Azure_version_per_EdgeKv_version()
    {
        await using KeyManagementHost keys = await KeyManagementHost.StartAsync();
        Assert.AreEqual(System.Net.HttpStatusCode.Created,
            (await keys.SendAsync("PUT", "/api/kms/keyvault",
                keys.ProviderBody(KeyManagementHost.PremiumVault))).Status);
        (string Name, string Type, object Body)[] distributions =
        [
            ("fault-rsa-hsm", "rsa-2048", new { purpose = new[] { "wrapKey", "unwrapKey" }, protection = "hsm" }),
            ("fault-rsa-sw", "rsa-4096",
                new { purpose = new[] { "encrypt", "decrypt", "sign", "verify" }, protection = "software" }),
            ("fault-ec-hsm", "ecdsa-p384", new { purpose = new[] { "sign", "verify" }, protection = "hsm" }),
        ];
        foreach ((string name, string type, _) in distributions)
        {
            Assert.AreEqual(System.Net.HttpStatusCode.Created,
                (await keys.SendAsync("PUT", $"/api/keys/{name}", new { type })).Status);
        }

        EmulatorAdminClient admin = keys.Host.Emulator.Admin;
        const string armAndVaults = "^/(subscriptions|vaults)/";
        await admin.AddFaultAsync(new FaultRule(armAndVaults, FaultKind.Throttle, 0.1, RetryAfterSeconds: 0));
        await admin.AddFaultAsync(new FaultRule(armAndVaults, FaultKind.InternalError, 0.1));
        await admin.AddFaultAsync(new FaultRule(armAndVaults, FaultKind.Unavailable, 0.1));
        await admin.ClearRequestsAsync();

        foreach ((string name, _, object body) in distributions) await keys.CompleteFlowAsync("PUT",
            $"/api/kms/keyvault/keys/{name}", body);
        foreach ((string name, _, _) in distributions) await keys.CompleteFlowAsync("POST", $"/api/keys/{name}/rotate");

        var requests = (await admin.GetRequestsAsync()).Where(r => r.Path.StartsWith("/subscriptions/",
            StringComparison.Ordinal) || r.Path.StartsWith("/vaults/", StringComparison.Ordinal)).ToList();
        int failed = requests.Count(r => r.Status is 429 or 500 or 503);
        await admin.ClearFaultsAsync();
        TestContext.WriteLine($"{requests.Count} Resource Manager and vault requests, {failed} failed by injection ({100.0 * failed / requests.Count:F1}%).");
        Assert.IsTrue(failed >= 0.2 * requests.Count && failed > 10,
            $"faults were injected: {failed} of {requests.Count}");

        KeysClient vault = await keys.VaultKeysAsync(KeyManagementHost.PremiumVault);
        foreach ((string name, _, _) in distributions)
        {
            IReadOnlyList<KeyProperties> versions = await vault.GetPropertiesOfKeyVersionsAsync(name);
            CollectionAssert.AreEquivalent(new[] { "1", "2" }, versions.Select(v => v.Tags["edgekv-version"]).ToArray(),
                $"{name}: one Azure version per EdgeKv version");
            var current = await vault.GetKeyAsync(name);
            Assert.AreEqual("2", current.Properties.Tags["edgekv-version"], $"{name}: version 2 is current");
        }
    }
}
