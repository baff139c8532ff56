using EdgeKv.Records;
using EdgeKv.Records.Alerts;
using EdgeKv.Records.Security.Sqlite;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.Tests;

/// <summary>
/// security.db's schema comes from versioned migrations (a file from before them is taken as is), and the rows of its
/// retired security-alert table are carried into the one alert store once, then the table is gone.
/// </summary>
[TestClass]
public sealed class SecurityAlertImportTests
{
    private const string Grantee = "0B1D0C1A-0000-4000-8000-0000000000E1";
    private const string Stranger = "0b1d0c1a-0000-4000-8000-0000000000e2";
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

    [TestMethod]
    public void The_first_open_applies_every_migration_and_the_next_none()
    {
        CollectionAssert.AreEqual(SchemaMigrations.SecurityScripts.Select(s => s.Version).ToList(),
            OpenDatabase().AppliedMigrations.ToList());
        Assert.AreEqual(0, OpenDatabase().AppliedMigrations.Count);
    }

    [TestMethod]
    public async Task A_file_with_old_security_alerts_has_them_carried_into_the_alert_store_once()
    {
        WriteOldFile(
            ("2026-01-01T00:00:00.0000000+00:00", "SelfGrantedDataPlaneAccess", "ase-one", Grantee, "first self-grant"),
            ("2026-01-01T00:05:00.0000000+00:00", "AccessPolicyNotGrantedByEdgeKv", "ase-one", Stranger,
                "stranger on the vault"),
            ("2026-01-02T00:00:00.0000000+00:00", "SelfGrantedDataPlaneAccess", "ase-one", Grantee,
                "second self-grant"),
            ("2026-01-03T00:00:00.0000000+00:00", "SelfGrantedDataPlaneAccess", null, Stranger, "self-grant at /"));
        SecurityDatabase database = OpenDatabase();
        CollectionAssert.AreEqual(SchemaMigrations.SecurityScripts.Select(s => s.Version).ToList(),
            database.AppliedMigrations.ToList());
        using var alerts = new AlertStore(new ResourceStoreOptions(Path.Combine(folder!.Path, "EdgeKv.db")),
            new ManualTimeProvider());

        Assert.AreEqual(4, await SecurityAlertImport.FromSecurityDatabaseAsync(database, alerts));

        var all = (await alerts.QueryPageAsync(null, null, null, null, 100)).Select(r => r.Alert).ToList();
        CollectionAssert.AreEqual(new[] { "first self-grant", "stranger on the vault", "second self-grant",
            "self-grant at /" }, all.Select(a => a.Finding).ToArray(), "in the order they were raised");
        Alert first = all[0];
        Assert.AreEqual(AlertKind.SelfGrantedDataPlaneAccess, first.Kind);
        Assert.AreEqual(AlertCategory.Security, first.Category);
        Assert.AreEqual(AlertSeverity.Critical, first.Severity);
        Assert.AreEqual(Grantee.ToLowerInvariant(), first.Principal);
        Assert.AreEqual(AlertState.Resolved, first.State, "superseded by the later self-grant of the same principal");
        Assert.AreEqual(DateTimeOffset.Parse("2026-01-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            first.ResolvedAt);
        Assert.AreEqual(AlertState.Active, all[2].State);
        Assert.AreEqual(DateTimeOffset.Parse("2026-01-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            all[2].FirstSeen);
        Assert.AreEqual(AlertKind.AccessPolicyNotGrantedByEdgeKv, all[1].Kind);
        Assert.AreEqual((Stranger, AlertState.Active), (all[1].Principal, all[1].State));
        Assert.AreEqual(("/", AlertState.Active), (all[3].Resource, all[3].State),
            "a grant above any resource is on the service scope");
        Assert.AreEqual("security-1", first.Id);

        Assert.IsFalse(TableExists(database, SecurityAlertImport.PendingTable), "the old table is dropped");
        Assert.IsFalse(TableExists(database, "security_alerts"));
        Assert.AreEqual(0, await SecurityAlertImport.FromSecurityDatabaseAsync(OpenDatabase(), alerts),
            "nothing left at the next start");
        Assert.IsFalse(await alerts.ImportAsync(first),
            "an import cut short before the drop writes each row once when run again");
        Assert.HasCount(4, await alerts.QueryPageAsync(null, null, null, null, 100));
    }

    [TestMethod]
    public async Task A_new_file_has_nothing_to_import_and_no_old_table()
    {
        SecurityDatabase database = OpenDatabase();
        using var alerts = new AlertStore(new ResourceStoreOptions(Path.Combine(folder!.Path, "EdgeKv.db")),
            new ManualTimeProvider());

        Assert.AreEqual(0, await SecurityAlertImport.FromSecurityDatabaseAsync(database, alerts));
        Assert.IsFalse(TableExists(database, SecurityAlertImport.PendingTable));
        Assert.IsTrue(TableExists(database, "audit_records"), "the audit trail stays");
    }

    private void WriteOldFile(params (string Time, string Kind, string? Resource, string? Principal,
        string Message)[] rows)
    {
        string path = Path.Combine(folder!.Path, "security.db");
        using var old = new SqliteConnection($"Data Source={path};Pooling=False");
        old.Open();
        using (SqliteCommand create = old.CreateCommand())
        {
            create.CommandText = SchemaMigrations.SecurityScripts[0].Sql;
            create.ExecuteNonQuery();
        }

        foreach ((string time, string kind, string? resource, string? principal, string message) in rows)
        {
            using SqliteCommand insert = old.CreateCommand();
            insert.CommandText = "INSERT INTO security_alerts (time, kind, resource, principal, message) VALUES ($t, $k, $r, $p, $m);";
            insert.Parameters.AddWithValue("$t", time);
            insert.Parameters.AddWithValue("$k", kind);
            insert.Parameters.AddWithValue("$r", (object?)resource ?? DBNull.Value);
            insert.Parameters.AddWithValue("$p", (object?)principal ?? DBNull.Value);
            insert.Parameters.AddWithValue("$m", message);
            insert.ExecuteNonQuery();
        }
    }

    private static bool TableExists(SecurityDatabase database, string name)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $n;";
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteScalar() is not null;
    }

    private SecurityDatabase OpenDatabase()
    {
        var database = new SecurityDatabase(Path.Combine(folder!.Path, "security.db"));
        databases.Add(database);
        return database;
    }
}
