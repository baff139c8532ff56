using Azure;
using Azure.Storage.Blobs;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Tests.KeyVault;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// The audit container's time-based retention holds what Azure Monitor wrote: a blob delete, even by a blob data
/// contributor, is refused with Azure's 409 while the policy holds it, and goes through once the (unlocked) policy is
/// removed.
/// </summary>
[TestClass]
public sealed class AuditContainerRetentionTests
{
    [TestMethod]
    public async Task BlobDelete_UnderAnUnexpiredPolicy_Is409_ThenAllowedOnceThePolicyIsRemoved()
    {
        var emulator = TestEmulator.Shared;
        var factory = TestEmulator.Factory(emulator);
        var resourceGroup = TestEmulator.UniqueName("rg-worm-");
        var accountName = ("worm" + Guid.NewGuid().ToString("N"))[..20];
        var vault = await DataPlaneVaults.CreateAsync(emulator, resourceGroup, TestEmulator.UniqueName("kv-worm-"));
        var storage = factory.GetStorageAccountsClient();
        var account = await storage.CreateAsync(resourceGroup, accountName, emulator.DefaultLocation);
        await storage.SetContainerImmutabilityAsync(resourceGroup, accountName, AuditLogsClient.Container, 30);
        await factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vault.Id, "audit-to-storage", account.Id,
            categories: ["AuditEvent"]);
        await factory.GetRoleAssignmentsClient().CreateAsync(account.Id, AzureBuiltInRoles.StorageBlobDataContributor,
            emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId);
        await factory.CreateSecretClient(vault.VaultUri!).SetSecretAsync("cik", "audited-value");

        var options = new BlobClientOptions { Transport = factory.DataPlaneTransport, Retry = { MaxRetries = 0 } };
        var containerUri = $"{emulator.Endpoint.AbsoluteUri}storage/{accountName}/blob/{AuditLogsClient.Container}";
        var container = new BlobContainerClient(new Uri(containerUri), factory.Credential, options);
        // From the full URI: GetBlobClient re-parses an IP-addressed container URI as path-style and loses the
        // emulator's prefix.
        BlobClient Blob(string name) => new(new Uri(containerUri + "/" + string.Join('/',
            name.Split('/').Select(Uri.EscapeDataString))), factory.Credential, options);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.IsTrue(names.Count > 0,
            "Azure Monitor wrote the audit log into the container the policy was set on beforehand");
        var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => Blob(names[0]).DeleteAsync());
        Assert.AreEqual(409, refused.Status, refused.Message);
        Assert.AreEqual("BlobImmutableDueToPolicy", refused.ErrorCode);

        var policy = (await storage.GetResource(resourceGroup,
            accountName).GetBlobService().GetBlobContainerAsync(AuditLogsClient.Container)).Value
            .GetImmutabilityPolicy();
        var current = (await policy.GetAsync()).Value;
        await current.DeleteAsync(WaitUntil.Completed, current.Data.ETag!.Value);
        await Blob(names[0]).DeleteAsync();
        Assert.IsFalse((await Blob(names[0]).ExistsAsync()).Value);
    }
}
