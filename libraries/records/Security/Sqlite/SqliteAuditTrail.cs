using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using EdgeKv.Records.Security;

namespace EdgeKv.Records.Security.Sqlite;

/// <summary>
/// The audit chain in <see cref="SecurityDatabase"/> (table <c>audit_records</c>; triggers refuse UPDATE and DELETE);
/// one writer at a time.
/// </summary>
public sealed class SqliteAuditTrail(SecurityDatabase store) : AuditTrailBackend
{
    private const string Columns = "seq, time, principal, role, device, operation, resource, secret_name, client_ip, result, status, prev_hash, hash";

    public override async Task<AuditRecord> AppendAsync(AuditEntry entry,
        Func<string, (DateTimeOffset Time, string Hash)> seal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(seal);
        await store.Writes.WaitAsync(cancellationToken);
        try
        {
            await using SqliteConnection connection = store.Open();
            await using SqliteTransaction transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            string previous;
            await using (SqliteCommand tail = connection.CreateCommand())
            {
                tail.Transaction = transaction;
                tail.CommandText = "SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1";
                previous = await tail.ExecuteScalarAsync(cancellationToken) as string ?? Genesis;
            }

            (DateTimeOffset now, string hash) = seal(previous);
            long sequence;
            await using (SqliteCommand insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO audit_records (time, principal, role, device, operation, resource, secret_name, client_ip, result, status, prev_hash, hash)
                    VALUES ($t, $p, $r, $d, $o, $res, $s, $ip, $result, $status, $prev, $hash) RETURNING seq
                    """;
                insert.Parameters.AddWithValue("$t", now.ToString("O", CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("$p", entry.Principal);
                insert.Parameters.AddWithValue("$r", (object?)entry.Role ?? DBNull.Value);
                insert.Parameters.AddWithValue("$d", (object?)entry.Device ?? DBNull.Value);
                insert.Parameters.AddWithValue("$o", entry.Operation);
                insert.Parameters.AddWithValue("$res", (object?)entry.Resource ?? DBNull.Value);
                insert.Parameters.AddWithValue("$s", (object?)entry.SecretName ?? DBNull.Value);
                insert.Parameters.AddWithValue("$ip", (object?)entry.ClientIp ?? DBNull.Value);
                insert.Parameters.AddWithValue("$result", entry.Result);
                insert.Parameters.AddWithValue("$status", entry.Status);
                insert.Parameters.AddWithValue("$prev", previous);
                insert.Parameters.AddWithValue("$hash", hash);
                sequence = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            }

            await transaction.CommitAsync(cancellationToken);
            return new AuditRecord(sequence, now, entry.Principal, entry.Role, entry.Device, entry.Operation,
                entry.Resource, entry.SecretName, entry.ClientIp,
                entry.Result, entry.Status, previous, hash);
        }
        finally
        {
            store.Writes.Release();
        }
    }

    public override async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        void Add(string clause, string name, object? value)
        {
            if (value is null) return;
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }

        Add("time >= $from", "$from", query.From?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add("time < $to", "$to", query.To?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add("principal = $p COLLATE NOCASE", "$p", query.Principal);
        Add("operation = $o COLLATE NOCASE", "$o", query.Operation);
        Add("resource = $r COLLATE NOCASE", "$r", query.Resource);
        Add("result = $result COLLATE NOCASE", "$result", query.Result);
        Add("seq > $after", "$after", query.After);
        command.CommandText = $"SELECT {Columns} FROM audit_records" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY seq LIMIT $top";
        command.Parameters.AddWithValue("$top", query.Top);
        var list = new List<AuditRecord>();
        await foreach (AuditRecord record in ReadAsync(command, cancellationToken)) list.Add(record);
        return list;
    }

    public override async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_records ORDER BY seq";
        await foreach (AuditRecord record in ReadAsync(command, cancellationToken)) yield return record;
    }

    private static async IAsyncEnumerable<AuditRecord> ReadAsync(SqliteCommand command,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            yield return new AuditRecord(reader.GetInt64(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2), Text(3),
                Text(4),
                reader.GetString(5), Text(6), Text(7), Text(8), reader.GetString(9), reader.GetInt32(10),
                reader.GetString(11), reader.GetString(12));
        }
    }
}
