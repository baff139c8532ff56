using EdgeKv.Functions.Security;
using EdgeKv.Records.Keys;
using EdgeKv.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using EdgeKv.Records.Security;
using EdgeKv.Records.Security.Sqlite;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class AuditTrailTests
{
    private static AuditEntry Entry(string operation, string? secret = null) =>
        new("0b1d0c1a-0000-4000-8000-000000000004", "SecurityTeam", null, operation, "ase1", secret, "127.0.0.1",
            "Succeeded", 200);

    private static AuditSealKey SealKey(string folder) =>
        AuditSealKey.InFile(new LocalKeyEncryptionKey(Path.Combine(folder, "key-encryption.key")),
            Path.Combine(folder, "audit-seal.key"));

    [TestMethod]
    public async Task A_seal_key_envelope_replaced_by_the_store_writer_breaks_the_chain_from_its_first_record()
    {
        using var data = new TempDirectory("audit");
        using var store = new SecurityDatabase(Path.Combine(data.Path, "security.db"));
        var trail = new AuditTrail(store, SealKey(data.Path), TimeProvider.System, NullLogger<AuditTrail>.Instance);
        AuditRecord first = await trail.AppendAsync(Entry("one"));
        await trail.AppendAsync(Entry("two"));
        Assert.IsNull(await trail.VerifyAsync());

        // A key of the forger's own, in the envelope's place: it does not open under the key-encryption key.
        File.WriteAllBytes(Path.Combine(data.Path, "audit-seal.key"),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(61));
        var reopened = new AuditTrail(store, SealKey(data.Path), TimeProvider.System, NullLogger<AuditTrail>.Instance);
        Assert.AreEqual(first.Sequence, await reopened.VerifyAsync());
        await Assert.ThrowsExactlyAsync<AuditUnavailableException>(() => reopened.AppendAsync(Entry("three")));
    }

    /// <summary>
    /// A trail written before it was keyed (plain SHA-256 chain) is anchored only when the operator asks for it at the
    /// upgrade: then it verifies, and a re-hash of those earlier records is still caught (their last hash is in the
    /// key's envelope); without it, nothing vouches for them.
    /// </summary>
    [TestMethod]
    public async Task Earlier_unkeyed_records_are_anchored_only_on_request_and_a_rehash_of_them_is_caught()
    {
        using var data = new TempDirectory("audit");
        using var store = new SecurityDatabase(Path.Combine(data.Path, "security.db"));
        string[] hashes = WriteUnkeyed(store, ("one", "Succeeded"), ("two", "Succeeded"), ("three", "Denied"));

        var unanchored = new TempDirectory("audit-other");
        using (unanchored)
        {
            var plain = new AuditTrail(new SqliteAuditTrail(store), SealKey(unanchored.Path), TimeProvider.System,
                NullLogger<AuditTrail>.Instance);
            Assert.AreEqual(1L, await plain.VerifyAsync(),
                "without the upgrade's anchor, nothing vouches for unkeyed records");
        }

        var trail = new AuditTrail(new SqliteAuditTrail(store), SealKey(data.Path), TimeProvider.System,
            NullLogger<AuditTrail>.Instance, anchorEarlierRecords: true);
        AuditRecord keyed = await trail.AppendAsync(Entry("four"));
        Assert.AreEqual(hashes[^1], keyed.PreviousHash);
        Assert.IsNull(await trail.VerifyAsync());

        // Someone with the file re-hashes the earlier records after changing one: self-consistent, but not the anchored
        // head.
        using (SqliteConnection connection = store.Open())
        {
            using SqliteCommand drop = connection.CreateCommand();
            drop.CommandText = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DELETE FROM audit_records";
            drop.ExecuteNonQuery();
        }

        WriteUnkeyed(store, ("one", "Succeeded"), ("two", "Succeeded"), ("three", "Succeeded"));
        var reopened = new AuditTrail(new SqliteAuditTrail(store), SealKey(data.Path), TimeProvider.System,
            NullLogger<AuditTrail>.Instance, anchorEarlierRecords: true);
        Assert.IsNotNull(await reopened.VerifyAsync());
    }

    /// <summary>Rows as the trail wrote them before it was keyed; returns their hashes.</summary>
    private static string[] WriteUnkeyed(SecurityDatabase store, params (string Operation, string Result)[] records)
    {
        using SqliteConnection connection = store.Open();
        string previous = AuditTrail.Genesis;
        var hashes = new List<string>();
        DateTimeOffset time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach ((string operation, string result) in records)
        {
            time = time.AddMinutes(1);
            string t = time.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            string canonical = string.Join('\u001f', previous, t, "p1", null, null, operation, "ase1", null,
                "127.0.0.1", result, "200");
            string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO audit_records (time, principal, role, device, operation, resource, secret_name, client_ip, result, status, prev_hash, hash)
                VALUES ($t, 'p1', NULL, NULL, $o, 'ase1', NULL, '127.0.0.1', $r, 200, $prev, $h)
                """;
            insert.Parameters.AddWithValue("$t", t);
            insert.Parameters.AddWithValue("$o", operation);
            insert.Parameters.AddWithValue("$r", result);
            insert.Parameters.AddWithValue("$prev", previous);
            insert.Parameters.AddWithValue("$h", hash);
            insert.ExecuteNonQuery();
            hashes.Add(hash);
            previous = hash;
        }

        return [.. hashes];
    }

    [TestMethod]
    public async Task Updates_and_deletes_are_refused_and_a_forced_edit_breaks_the_chain()
    {
        using var data = new TempDirectory("audit");
        using var store = new SecurityDatabase(Path.Combine(data.Path, "security.db"));
        var trail = new AuditTrail(store, SealKey(data.Path), TimeProvider.System, NullLogger<AuditTrail>.Instance);
        await trail.AppendAsync(Entry("one"));
        AuditRecord second = await trail.AppendAsync(Entry("two"));
        await trail.AppendAsync(Entry("three"));

        using (SqliteConnection connection = store.Open())
        {
            foreach (string sql in new[] { "UPDATE audit_records SET result = 'Denied'",
                "DELETE FROM audit_records WHERE seq = 1" })
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = sql;
                SqliteException refused = Assert.ThrowsExactly<SqliteException>(() => command.ExecuteNonQuery());
                StringAssert.Contains(refused.Message, "append-only");
            }

            // Someone with the file drops the trigger and edits a record: the chain shows where.
            using SqliteCommand tamper = connection.CreateCommand();
            tamper.CommandText = "DROP TRIGGER audit_no_update; UPDATE audit_records SET operation = 'nothing' WHERE seq = $s";
            tamper.Parameters.AddWithValue("$s", second.Sequence);
            tamper.ExecuteNonQuery();
        }

        Assert.AreEqual(second.Sequence, await trail.VerifyAsync());
    }

    [TestMethod]
    public async Task Append_fails_closed_when_the_store_cannot_write()
    {
        using var data = new TempDirectory("audit");
        using var store = new SecurityDatabase(Path.Combine(data.Path, "security.db"));
        var trail = new AuditTrail(store, SealKey(data.Path), TimeProvider.System, NullLogger<AuditTrail>.Instance);
        using (SqliteConnection connection = store.Open())
        {
            using SqliteCommand drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE audit_records";
            drop.ExecuteNonQuery();
        }

        await Assert.ThrowsExactlyAsync<AuditUnavailableException>(() => trail.AppendAsync(Entry("SecretValueRead",
            "BitLockerRecoveryKey")));
    }

    [TestMethod]
    public void Role_table_keeps_management_and_data_plane_apart()
    {
        Assert.IsTrue(RolePermissions.Grants(EdgeKvRole.SecurityTeam, Permission.SecretValuesRead));
        Assert.IsFalse(RolePermissions.Grants(EdgeKvRole.Operator, Permission.SecretValuesRead));
        Assert.IsTrue(RolePermissions.Grants(EdgeKvRole.Operator, Permission.SecretNamesRead));
        Assert.IsFalse(RolePermissions.Grants(EdgeKvRole.Auditor, Permission.ResourcesWrite));
        Assert.IsTrue(RolePermissions.Grants(EdgeKvRole.Auditor, Permission.AuditRead));
        Assert.IsFalse(RolePermissions.Grants(EdgeKvRole.Device, Permission.ResourcesRead));
        Assert.IsTrue(RolePermissions.IsDataPlane(EdgeKvRole.SecurityTeam));
        Assert.IsFalse(RolePermissions.IsDataPlane(EdgeKvRole.Operator));
        Assert.AreEqual(EdgeKvRole.Auditor, RolePermissions.FromAppRole("EdgeKv.Auditor"));
        Assert.IsNull(RolePermissions.FromAppRole("EdgeKv.Device"), "a token cannot claim to be a device");
        Assert.IsNull(RolePermissions.FromAppRole("Other.Auditor"));
    }
}
