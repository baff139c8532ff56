using EdgeKv.Records.Keys;
using EdgeKv.Records.Keys.Shared;
using EdgeKv.Records.Shared;
using EdgeKv.Tests.Shared;

namespace EdgeKv.Activation.Tests;

/// <summary>
/// The key store contract on Table storage (Azurite, one per class; fresh tables per test), every instance under one
/// key-encryption key file as every host is given in shared mode. Inconclusive without Azurite.
/// </summary>
[TestClass]
public sealed class TableKeyStoreContractTests : KeyStoreContract
{
    private static AzuriteProcess? s_azurite;
    private string prefix = "";
    private TempDirectory? folder;

    [ClassInitialize]
    public static async Task StartAzuriteAsync(TestContext context) => s_azurite = await AzuriteProcess.StartAsync();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    [TestInitialize]
    public void ChoosePrefix()
    {
        if (s_azurite is null) Assert.Inconclusive("Azurite is not installed (.ci/install puts it under .tools/azurite).");
        prefix = $"T{Guid.NewGuid():N}"[..16];
        folder = new TempDirectory("keys");
    }

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override KeyStore OpenStore() =>
        new(new TableKeyStore(SharedStoreAccount.FromConnectionString(s_azurite!.ConnectionString, prefix), new LocalKeyEncryptionKey(Path.Combine(folder!.Path, "shared.key")),
            TimeProvider.System));
}
