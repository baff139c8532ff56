using EdgeKv.Records;
using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Tests;

/// <summary>
/// The security alert contract on security.db, and what only the file needs showing: its schema comes from versioned
/// migrations (a file from before them is taken as is) and the alert table refuses to change or lose a row.
/// </summary>
[TestClass]
public sealed class SqliteSecurityAlertsContractTests : SecurityAlertBackendContract
{
    private readonly List<SecurityDatabase> databases = [];
    private TempDirectory? folder;

    [TestInitialize]
    public void CreateFolder() => folder = new TempDirectory("security");

    [TestCleanup]
    public void RemoveFolder()
    {
        foreach (SecurityDatabase database in databases) database.Dispose();
        folder?.Dispose();
    }

    protected override SecurityAlertBackend Open() => new SqliteSecurityAlerts(OpenDatabase());

    private SecurityDatabase OpenDatabase()
    {
        var database = new SecurityDatabase(Path.Combine(folder!.Path, "security.db"));
        databases.Add(database);
        return database;
    }

    [TestMethod]
    public void The_first_open_applies_every_migration_and_the_next_none()
    {
        CollectionAssert.AreEqual(SchemaMigrations.SecurityScripts.Select(s => s.Version).ToList(), OpenDatabase().AppliedMigrations.ToList());
        Assert.AreEqual(0, OpenDatabase().AppliedMigrations.Count);
    }

    [TestMethod]
    public async Task A_file_made_before_migrations_keeps_its_records_and_is_migrated_once()
    {
        string path = Path.Combine(folder!.Path, "security.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using SqliteCommand create = old.CreateCommand();
            create.CommandText = SchemaMigrations.SecurityScripts[0].Sql
                + "INSERT INTO security_alerts (time, kind, resource, principal, message) VALUES ('2026-01-01T00:00:00.0000000+00:00', 'Kind', 'ase-old', NULL, 'kept');";
            create.ExecuteNonQuery();
        }

        SecurityDatabase database = OpenDatabase();

        CollectionAssert.AreEqual(SchemaMigrations.SecurityScripts.Select(s => s.Version).ToList(), database.AppliedMigrations.ToList());
        Assert.AreEqual("kept", (await new SqliteSecurityAlerts(database).ListAsync("ase-old", CancellationToken.None)).Single().Message);
    }

    [TestMethod]
    [DataRow("UPDATE security_alerts SET message = 'nothing happened'")]
    [DataRow("DELETE FROM security_alerts")]
    public async Task The_alert_table_refuses_to_change_or_remove_a_row(string statement)
    {
        SecurityDatabase database = OpenDatabase();
        await new SqliteSecurityAlerts(database).AppendAsync(DateTimeOffset.UnixEpoch, "Kind", "ase-one", null, "raised", once: false, CancellationToken.None);
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = statement;

        SqliteException refused = Assert.ThrowsExactly<SqliteException>(() => command.ExecuteNonQuery());
        StringAssert.Contains(refused.Message, "append-only");
        Assert.AreEqual("raised", (await new SqliteSecurityAlerts(database).ListAsync(null, CancellationToken.None)).Single().Message);
    }
}
