using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Functions.Security;

/// <summary>
/// EdgeKv's append-only audit trail in <see cref="SecurityStore"/>. Each record's hash covers its fields and the
/// previous record's hash, so an edit or a removal anywhere breaks <see cref="VerifyAsync"/>. Appending throws when the
/// record cannot be written; callers reading secret values let that fail the request (fail closed).
/// </summary>
public sealed partial class AuditTrail(SecurityStore store, TimeProvider time, ILogger<AuditTrail> logger)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
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

            DateTimeOffset now = time.GetUtcNow();
            string hash = HashOf(now, entry, previous);
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
            return new AuditRecord(sequence, now, entry.Principal, entry.Role, entry.Device, entry.Operation, entry.Resource, entry.SecretName, entry.ClientIp,
                entry.Result, entry.Status, previous, hash);
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            LogAppendFailed(logger, entry.Operation, ex.GetType().Name);
            throw new AuditUnavailableException("The audit record could not be written.", ex);
        }
        finally
        {
            store.Writes.Release();
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
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
        command.CommandText = "SELECT seq, time, principal, role, device, operation, resource, secret_name, client_ip, result, status, prev_hash, hash FROM audit_records"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY seq LIMIT $top";
        command.Parameters.AddWithValue("$top", query.Top);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Walks the whole chain; returns the sequence of the first record whose hash does not match, or null when intact.</summary>
    public async Task<long?> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT seq, time, principal, role, device, operation, resource, secret_name, client_ip, result, status, prev_hash, hash FROM audit_records ORDER BY seq";
        string previous = Genesis;
        foreach (AuditRecord r in await ReadAsync(command, cancellationToken))
        {
            var entry = new AuditEntry(r.Principal, r.Role, r.Device, r.Operation, r.Resource, r.SecretName, r.ClientIp, r.Result, r.Status);
            if (r.PreviousHash != previous || r.Hash != HashOf(r.Time, entry, previous)) return r.Sequence;
            previous = r.Hash;
        }

        return null;
    }

    private static async Task<IReadOnlyList<AuditRecord>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<AuditRecord>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            list.Add(new AuditRecord(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2), Text(3), Text(4),
                reader.GetString(5), Text(6), Text(7), Text(8), reader.GetString(9), reader.GetInt32(10), reader.GetString(11), reader.GetString(12)));
        }

        return list;
    }

    private static string HashOf(DateTimeOffset time, AuditEntry e, string previous)
    {
        string canonical = string.Join('\u001f', previous, time.ToString("O", CultureInfo.InvariantCulture), e.Principal, e.Role, e.Device, e.Operation, e.Resource,
            e.SecretName, e.ClientIp, e.Result, e.Status.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    [LoggerMessage(7010, LogLevel.Error, "Audit record for {Operation} could not be written ({Error}).")]
    private static partial void LogAppendFailed(ILogger logger, string operation, string error);
}

/// <summary>The audit trail could not take a record: operations that must be audited are refused.</summary>
public sealed class AuditUnavailableException(string message, Exception inner) : Exception(message, inner);
