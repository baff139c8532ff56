using System.Security.Cryptography;
using EdgeKv.Records;
using EdgeKv.Records.Keys;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Tests;

[TestClass]
public sealed class KeyStoreTests
{
    private static (KeyStore Store, string Database, string KekPath) Open(TempDirectory folder)
    {
        string database = Path.Combine(folder.Path, "EdgeKv.db");
        string kek = Path.Combine(folder.Path, "key-encryption.key");
        return (new KeyStore(new ResourceStoreOptions(database), new LocalKeyEncryptionKey(kek), TimeProvider.System),
            database, kek);
    }

    private static KeyRecord Key(string name, string type, byte[] material) => new()
    {
        Name = name, Type = type,
            Versions = [new KeyVersionInfo(1, DateTimeOffset.UtcNow, KeyMaterial.PublicKeyPem(type, material))],
    };

    [TestMethod]
    public async Task Key_material_is_stored_only_as_an_envelope_under_an_owner_only_key_file()
    {
        using var folder = new TempDirectory("keys");
        (KeyStore store, string database, string kekPath) = Open(folder);
        using (store)
        {
            byte[] material = KeyMaterial.Generate(ManagedKeyTypes.Aes256Gcm96);
            Assert.IsTrue(await store.TryCreateKeyAsync(Key("aes-1", ManagedKeyTypes.Aes256Gcm96, material), material));

            CollectionAssert.AreEqual(material, await store.ReadMaterialAsync("aes-1", 1));
            if (!OperatingSystem.IsWindows()) Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite,
                File.GetUnixFileMode(kekPath));
            SqliteConnection.ClearAllPools();
            byte[] file = await File.ReadAllBytesAsync(database);
            Assert.AreEqual(-1, file.AsSpan().IndexOf(material), "the database holds no clear material");
        }
    }

    [TestMethod]
    public async Task An_envelope_moved_to_another_key_does_not_open()
    {
        using var folder = new TempDirectory("keys");
        (KeyStore store, string database, _) = Open(folder);
        using (store)
        {
            byte[] a = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);
            byte[] b = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);
            await store.TryCreateKeyAsync(Key("ec-a", ManagedKeyTypes.EcdsaP256, a), a);
            await store.TryCreateKeyAsync(Key("ec-b", ManagedKeyTypes.EcdsaP256, b), b);
            using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
            {
                connection.Open();
                using SqliteCommand swap = connection.CreateCommand();
                swap.CommandText = "UPDATE managed_key_versions SET material = (SELECT material FROM managed_key_versions WHERE key_name = 'ec-a') WHERE key_name = 'ec-b';";
                swap.ExecuteNonQuery();
            }

            await Assert.ThrowsAsync<CryptographicException>(() => store.ReadMaterialAsync("ec-b", 1));
        }
    }

    [TestMethod]
    public async Task Adding_a_version_twice_creates_it_once()
    {
        using var folder = new TempDirectory("keys");
        (KeyStore store, _, _) = Open(folder);
        using (store)
        {
            byte[] material = KeyMaterial.Generate(ManagedKeyTypes.EcdsaP256);
            await store.TryCreateKeyAsync(Key("ec-1", ManagedKeyTypes.EcdsaP256, material), material);
            int generated = 0;
            byte[] Generate(string type)
            {
                generated++;
                return KeyMaterial.Generate(type);
            }

            KeyRecord first = (await store.AddVersionAsync("ec-1", 2, Generate))!;
            KeyRecord again = (await store.AddVersionAsync("ec-1", 2, Generate))!;

            Assert.AreEqual(1, generated);
            Assert.AreEqual(2, again.LatestVersion);
            Assert.AreEqual(first.Versions[1].PublicKeyPem, again.Versions[1].PublicKeyPem);
            await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddVersionAsync("ec-1", 4, Generate));
        }
    }

    [TestMethod]
    public async Task A_key_is_deleted_only_when_allowed_and_distributed_nowhere_and_a_provider_only_when_unused()
    {
        using var folder = new TempDirectory("keys");
        (KeyStore store, _, _) = Open(folder);
        using (store)
        {
            byte[] material = KeyMaterial.Generate(ManagedKeyTypes.Rsa2048);
            await store.TryCreateKeyAsync(Key("rsa-1", ManagedKeyTypes.Rsa2048, material), material);
            await store.PutProviderAsync(new KmsProviderRecord { Name = "kv", KeyCollection = "kv-one" },
                new KmsCredentials("id", "secret-value-1", "tenant"));
            await store.UpsertDistributionAsync("kv", "rsa-1",
                _ => new KeyDistributionRecord { KmsName = "kv", KeyName = "rsa-1", Purpose = ["sign"],
                    Protection = KeyProtections.Software });

            Assert.AreEqual(KeyDeletionOutcome.NotAllowed, (await store.DeleteKeyAsync("rsa-1")).Outcome);
            await store.UpdateKeyAsync("rsa-1", k => k with { DeletionAllowed = true });
            KeyDeletion blocked = await store.DeleteKeyAsync("rsa-1");
            Assert.AreEqual(KeyDeletionOutcome.Distributed, blocked.Outcome);
            CollectionAssert.AreEqual(new[] { "kv" }, blocked.Providers.ToArray());
            CollectionAssert.AreEqual(new[] { "rsa-1" },
                (await store.DeleteProviderAsync("kv")).BlockingKeys.ToArray());
            Assert.AreEqual("secret-value-1", (await store.ReadCredentialsAsync("kv"))!.ClientSecret);

            await store.DeleteDistributionAsync("kv", "rsa-1");
            Assert.AreEqual(KeyDeletionOutcome.Deleted, (await store.DeleteKeyAsync("rsa-1")).Outcome);
            Assert.IsNull(await store.ReadMaterialAsync("rsa-1", 1));
            Assert.AreEqual(0, (await store.DeleteProviderAsync("kv")).BlockingKeys.Count);
            Assert.IsNull(await store.GetProviderAsync("kv"));
        }
    }
}
