using EdgeKv.Records;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Tests;

/// <summary>
/// What only the SQLite store has: migrations and index plans. The shared behaviour is <see
/// cref="ResourceStoreContract"/>.
/// </summary>
[TestClass]
public sealed class ResourceStoreTests
{
    private static ResourceRecord Sample(string name = "ase1") => new()
    {
        Name = name, ResourceId = $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataBoxEdge/dataBoxEdgeDevices/{name}", ResourceGroup = "rg", Location = "westus2",
    };

    [TestMethod]
    public void Opening_a_new_store_applies_every_migration_once_and_records_it()
    {
        using var folder = new TempDirectory("store");
        string path = Path.Combine(folder.Path, "EdgeKv.db");
        using (var first = new ResourceStore(new ResourceStoreOptions(path), TimeProvider.System))
        {
            CollectionAssert.AreEqual(SchemaMigrations.Scripts.Select(s => s.Version).ToList(),
                first.AppliedMigrations.ToList());
        }

        using var second = new ResourceStore(new ResourceStoreOptions(path), TimeProvider.System);
        Assert.AreEqual(0, second.AppliedMigrations.Count, "nothing is applied twice");
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations;";
        Assert.AreEqual((long)SchemaMigrations.Scripts.Count, (long)count.ExecuteScalar()!);
    }

    [TestMethod]
    public async Task The_lookups_by_vault_id_and_credential_read_one_index_entry()
    {
        using var folder = new TempDirectory("store");
        string path = Path.Combine(folder.Path, "EdgeKv.db");
        using var store = new ResourceStore(new ResourceStoreOptions(path), TimeProvider.System);
        Assert.IsTrue(await store.TryAddAsync(Sample("ase1") with { VaultId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1" }));
        Assert.IsTrue(await store.TryAddAsync(Sample("ase2")));

        Assert.AreEqual("ase1",
            (await store.FindByVaultIdAsync("/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.keyvault/vaults/KV1"))?.Name);
        Assert.IsNull(await store.FindByVaultIdAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/other"));

        // The lookups read one index entry, not the table.
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        foreach ((string sql, string index) in new[]
        {
            ("SELECT document FROM resources WHERE lower(json_extract(document, '$.vaultId')) = lower('x')",
                "resources_vault_id"),
            ("SELECT document FROM resources WHERE device_credential_hash = 'x'", "resources_device_credential"),
            ("SELECT document FROM resources WHERE pending_device_credential_hash = 'x'",
                "resources_pending_device_credential"),
        })
        {
            using SqliteCommand plan = connection.CreateCommand();
            plan.CommandText = "EXPLAIN QUERY PLAN " + sql;
            using SqliteDataReader reader = plan.ExecuteReader();
            var steps = new List<string>();
            while (reader.Read()) steps.Add(reader.GetString(3));
            Assert.IsTrue(steps.Any(step => step.Contains(index, StringComparison.Ordinal)), $"{sql}: {string.Join(" | ", steps)}");
        }
    }

    [TestMethod]
    public async Task The_credential_index_migration_backfills_records_written_before_it()
    {
        using var folder = new TempDirectory("store");
        string path = Path.Combine(folder.Path, "EdgeKv.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand old = connection.CreateCommand();
            old.CommandText = string.Join(";\n", SchemaMigrations.Scripts.Where(s => s.Version < 4).Select(s => s.Sql)) + """
                ;
                CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
                INSERT INTO schema_migrations VALUES (1, 'a', 'x'), (2, 'b', 'x'), (3, 'c', 'x');
                INSERT INTO resources (name, resource_id, document, updated_at)
                    VALUES ('legacy', '/r/legacy', '{"name":"legacy","resourceId":"/r/legacy","resourceGroup":"rg","location":"l","deviceCredentialHash":"cc33"}', '2026-01-01');
                """;
            old.ExecuteNonQuery();
        }

        using var store = new ResourceStore(new ResourceStoreOptions(path), TimeProvider.System);
        CollectionAssert.IsSubsetOf(new[] { 4, 5 }, store.AppliedMigrations.ToList());
        Assert.AreEqual("legacy", (await store.FindByDeviceCredentialHashAsync("cc33"))?.Name);
    }
}
