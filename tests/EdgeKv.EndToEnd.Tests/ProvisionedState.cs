using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities.Activation;
using EdgeKv.Azure;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Storage;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>What activation must leave in Azure, read through the typed clients: exactly one of each.</summary>
internal static class ProvisionedState
{
    public const string ResourceGroup = "edgekv-local";

    /// <summary>
    /// Everything in place for an activated device; the resource in <paramref name="resourceGroup"/> of <paramref
    /// name="subscriptionId"/> (the factory's when null).
    /// </summary>
    public static async Task<ProvisionedSecrets> AssertAsync(EdgeKvAzureClientFactory factory, string resourceName,
        string vaultName, string? subscriptionId = null,
        string resourceGroup = ResourceGroup) =>
        (await CheckAsync(factory, resourceName, vaultName, deviceActivated: true, subscriptionId, resourceGroup))!;

    /// <summary>
    /// What activation itself provisions, for a resource whose device has not activated yet (no device secrets, no
    /// identity calls).
    /// </summary>
    public static Task AssertActivatedAsync(EdgeKvAzureClientFactory factory, string resourceName, string vaultName) =>
        CheckAsync(factory, resourceName, vaultName, deviceActivated: false);

    private static async Task<ProvisionedSecrets?> CheckAsync(EdgeKvAzureClientFactory factory, string resourceName,
        string vaultName, bool deviceActivated,
        string? subscriptionId = null, string resourceGroup = ResourceGroup)
    {
        // Everything is beside the resource: in its own subscription and resource group.
        var vaults = (await factory.GetVaultsClient(subscriptionId: subscriptionId).ListAsync(resourceGroup)).Where(v => v.Name == vaultName).ToList();
        Assert.AreEqual(1, vaults.Count, "exactly one vault");
        var vault = await factory.GetVaultsClient(subscriptionId: subscriptionId).GetAsync(resourceGroup, vaultName);
        Assert.AreEqual("standard", vault.SkuName);
        Assert.IsTrue(vault.EnableSoftDelete);
        Assert.AreEqual(90, vault.SoftDeleteRetentionInDays);
        Assert.IsTrue(vault.EnablePurgeProtection);
        var resource = await factory.GetEdgeDevicesClient(subscriptionId: subscriptionId).GetAsync(resourceGroup,
            resourceName);
        Assert.AreEqual(resource.Id, vault.Tags[VaultNames.OwnerTag], ignoreCase: true);

        var vaultLocks = await factory.GetManagementLocksClient().ListAsync(vault.Id);
        Assert.AreEqual(1, vaultLocks.Count, "exactly one lock on the vault");
        Assert.AreEqual("CanNotDelete", vaultLocks[0].Level);

        var accounts = (await factory.GetStorageAccountsClient(subscriptionId: subscriptionId).ListAsync(resourceGroup)).Where(a => a.Tags.GetValueOrDefault(AuditStorageNames.VaultTag) == vaultName).ToList();
        Assert.AreEqual(1, accounts.Count, "exactly one audit storage account");
        Assert.AreEqual("Standard_ZRS", accounts[0].SkuName);
        Assert.AreEqual("StorageV2", accounts[0].Kind);
        Assert.AreEqual("Succeeded", accounts[0].ProvisioningState);
        Assert.IsFalse(accounts[0].AllowSharedKeyAccess, "Entra identities only, by default");
        Assert.IsFalse(accounts[0].AllowBlobPublicAccess);
        Assert.AreEqual("TLS1_2", accounts[0].MinimumTlsVersion);
        var retention = await factory.GetStorageAccountsClient(subscriptionId: subscriptionId).GetContainerImmutabilityAsync(resourceGroup, accounts[0].Name, AuditLogsClient.Container);
        Assert.AreEqual(new ContainerImmutability(365, "Unlocked", true), retention,
            "the audit container keeps logs unchangeable for the default 365 days");
        var accountLocks = await factory.GetManagementLocksClient().ListAsync(accounts[0].Id);
        Assert.AreEqual(1, accountLocks.Count, "exactly one lock on the storage account");
        Assert.AreEqual("CanNotDelete", accountLocks[0].Level);

        var settings = await factory.GetDiagnosticSettingsClient().ListAsync(vault.Id);
        Assert.AreEqual(1, settings.Count, "exactly one diagnostic setting");
        Assert.AreEqual(accounts[0].Id, settings[0].StorageAccountId, ignoreCase: true);
        CollectionAssert.Contains(settings[0].Categories.ToList(), "AuditEvent");

        var identityPolicies = vault.AccessPolicies.Where(p => string.Equals(p.ObjectId,
            resource.PrincipalId.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.AreEqual(1, identityPolicies.Count, "exactly one access-policy entry for the identity");
        CollectionAssert.AreEquivalent(new[] { "get", "set" },
            identityPolicies[0].Secrets.Select(s => s.ToLowerInvariant()).ToArray());
        Assert.AreEqual(0, identityPolicies[0].Keys?.Count ?? 0);
        Assert.AreEqual(0, identityPolicies[0].Certificates?.Count ?? 0);
        Assert.AreEqual(0, identityPolicies[0].Storage?.Count ?? 0);

        SecretClient secrets = factory.CreateSecretClient(vault.VaultUri!);
        var cikVersions = new List<string>();
        await foreach (SecretProperties p in secrets.GetPropertiesOfSecretVersionsAsync("ChannelIntegrityKey")) cikVersions.Add(p.Version);
        Assert.AreEqual(1, cikVersions.Count, "one channel integrity key, never regenerated by a re-run");
        if (!deviceActivated) return null;

        var names = new List<string>();
        await foreach (SecretProperties p in secrets.GetPropertiesOfSecretsAsync()) names.Add(p.Name);
        CollectionAssert.IsSubsetOf(new[] { "ChannelIntegrityKey", "BitLockerRecoveryKey", "BmcUserPassword",
            ActivationFlow.CustomerSecretName }, names);

        string cik = (await secrets.GetSecretAsync("ChannelIntegrityKey")).Value.Value;
        Assert.AreEqual(32, Convert.FromBase64String(cik).Length, "256-bit CIK");
        string bitLocker = (await secrets.GetSecretAsync("BitLockerRecoveryKey")).Value.Value;
        StringAssert.Matches(bitLocker, new System.Text.RegularExpressions.Regex(@"^\d{6}(-\d{6}){7}$"));
        string bmc = (await secrets.GetSecretAsync("BmcUserPassword")).Value.Value;

        // Audit records in the storage account: the identity (its own token) set the device secrets and read the CIK.
        var audit = await factory.CreateAuditLogsClient(accounts[0].Name).GetAuditRecordsAsync(vault.Id);
        string identity = resource.PrincipalId.ToString()!;
        Assert.IsTrue(audit.Any(r => r.OperationName == "SecretSet" && r.RequestUri.Contains("/secrets/BitLockerRecoveryKey", StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.CallerObjectId, identity, StringComparison.OrdinalIgnoreCase)),
                "the identity set the device secrets: " + Describe(audit));
        Assert.IsTrue(audit.Any(r => r.OperationName == "SecretGet" && string.Equals(r.CallerObjectId, identity,
            StringComparison.OrdinalIgnoreCase)),
            "the identity read the vault: " + Describe(audit));
        Assert.IsTrue(audit.All(r => r.ResourceId.Equals(vault.Id, StringComparison.OrdinalIgnoreCase)));

        var extended = await factory.GetEdgeDevicesClient(subscriptionId: subscriptionId).GetExtendedInformationAsync(resourceGroup, resourceName);
        Assert.AreEqual("ChannelIntegrityKey", extended.ChannelIntegrityKeyName);
        return new ProvisionedSecrets(cik, bitLocker, bmc);
    }

    private static string Describe(IEnumerable<EdgeKv.Azure.Monitoring.KeyVaultAuditRecord> records) =>
        string.Join(", ", records.Select(r => $"{r.OperationName}/{r.CallerObjectId}/{r.HttpStatusCode}"));
}

internal sealed record ProvisionedSecrets(string ChannelIntegrityKey, string BitLockerRecoveryKey,
    string BmcUserPassword);
