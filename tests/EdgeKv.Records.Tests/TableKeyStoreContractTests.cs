using EdgeKv.Records.Keys;
using EdgeKv.Records.Keys.Tables;
using EdgeKv.Records.Tables;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The key store contract on Table storage (Azurite, one per assembly; fresh tables per test), every instance under one
/// key-encryption key file as every host is given in shared mode. Inconclusive without Azurite.
/// </summary>
[TestClass]
public sealed class TableKeyStoreContractTests : KeyStoreContract
{
    private string prefix = "";
    private TempDirectory? folder;

    [TestInitialize]
    public void OpenAccount()
    {
        prefix = TableStorageAzurite.NewPrefix();
        folder = new TempDirectory("keys");
    }

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override KeyStore OpenStore() =>
        new(new TableKeyStore(TableStorageAzurite.Account(prefix),
            new LocalKeyEncryptionKey(Path.Combine(folder!.Path, "shared.key")),
            TimeProvider.System));
}
