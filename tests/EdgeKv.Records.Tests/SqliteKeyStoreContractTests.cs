using EdgeKv.Records;
using EdgeKv.Records.Keys;
using EdgeKv.Tests.Support;

namespace EdgeKv.Records.Tests;

/// <summary>The key store contract on the embedded SQLite store (a fresh file and key file per test).</summary>
[TestClass]
public sealed class SqliteKeyStoreContractTests : KeyStoreContract
{
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("keys");

    [TestCleanup]
    public void RemoveFolder() => folder?.Dispose();

    protected override KeyStore OpenStore() =>
        new(new ResourceStoreOptions(Path.Combine(folder!.Path, "EdgeKv.db")),
            new LocalKeyEncryptionKey(Path.Combine(folder.Path, "key-encryption.key")), TimeProvider.System);
}
