using System.Reflection;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Storage;
using Azure.Security.KeyVault.Keys;
using Azure.Storage.Blobs;
using EdgeKv.Azure.Keys;
using EdgeKv.Azure.Monitoring;
using EdgeKv.Azure.Storage;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// Keys, audit logs and storage accounts go through the Azure SDK's clients; a pipeline of EdgeKv's own is kept only
/// for what the SDK cannot send (the BYOK import's <c>key_hsm</c>), so a hand-written data-plane client does not creep
/// back.
/// </summary>
[TestClass]
public sealed class SdkClientCoverageTests
{
    private static readonly Type[] OwnPipelinesAllowed = [typeof(KeysClient).Assembly.GetType("EdgeKv.Azure.Keys.ByokKeyImporter")!];

    [TestMethod]
    public void Only_the_BYOK_import_holds_a_pipeline_of_its_own()
    {
        var holders = typeof(KeysClient).Assembly.GetTypes()
            .Where(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                .Any(f => typeof(HttpPipeline).IsAssignableFrom(f.FieldType)))
            .ToList();

        CollectionAssert.AreEquivalent(OwnPipelinesAllowed, holders,
            string.Join(", ", holders.Select(t => t.FullName)));
    }

    [TestMethod]
    public void Keys_and_audit_logs_wrap_the_SDK_clients()
    {
        Assert.IsTrue(HasField<KeyClient>(typeof(KeysClient)));
        Assert.IsTrue(HasField<BlobContainerClient>(typeof(AuditLogsClient)));
        Assert.IsNull(typeof(KeysClient).Assembly.GetType("EdgeKv.Azure.DataPlaneRestClient"));
    }

    [TestMethod]
    public void Platform_metrics_wrap_the_SDKs_MetricsQueryClient() =>
        Assert.IsTrue(HasField<global::Azure.Monitor.Query.MetricsQueryClient>(typeof(VaultMetricsClient)));

    [TestMethod]
    public void Storage_accounts_use_the_typed_resources_not_raw_calls()
    {
        var rawClient = typeof(KeysClient).Assembly.GetType("EdgeKv.Azure.ArmRestClient")!;
        Assert.IsFalse(typeof(StorageAccountsClient).GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Any(f => f.FieldType == rawClient));
        Assert.IsTrue(HasField<ArmOperation<StorageAccountResource>>(typeof(StorageAccountCreation)));
    }

    private static bool HasField<T>(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Any(f => f.FieldType == typeof(T));
}
