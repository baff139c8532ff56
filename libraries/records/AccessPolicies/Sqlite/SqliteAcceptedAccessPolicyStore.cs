using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeKv.Records.AccessPolicies.Sqlite;

/// <summary>
/// The embedded home of <see cref="AcceptedAccessPolicyStore"/>: EdgeKv.db (table <c>accepted_access_policies</c>,
/// migration 0010), one row per resource and principal (both without case).
/// </summary>
public sealed class SqliteAcceptedAccessPolicyStore : AcceptedAccessPolicyStoreBackend
{
    private readonly string connectionString;

    public SqliteAcceptedAccessPolicyStore(ResourceStoreOptions options, TimeProvider time) =>
        connectionString = EdgeKvDatabase.Prepare(options, time).ConnectionString;

    public override async Task AcceptAsync(AcceptedAccessPolicy accepted, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = EdgeKvDatabase.Open(connectionString);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accepted_access_policies (resource, object_id, permissions, accepted_by, accepted_at) VALUES ($r, $o, $p, $b, $t)
            ON CONFLICT (resource, object_id) DO UPDATE SET permissions = excluded.permissions, accepted_by = excluded.accepted_by, accepted_at = excluded.accepted_at;
            """;
        command.Parameters.AddWithValue("$r", accepted.Resource);
        command.Parameters.AddWithValue("$o", accepted.ObjectId);
        command.Parameters.AddWithValue("$p", accepted.Permissions);
        command.Parameters.AddWithValue("$b", accepted.AcceptedBy);
        command.Parameters.AddWithValue("$t", accepted.AcceptedAt.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<IReadOnlyList<AcceptedAccessPolicy>> ListAsync(string resource,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = EdgeKvDatabase.Open(connectionString);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT resource, object_id, permissions, accepted_by, accepted_at FROM accepted_access_policies WHERE resource = $r ORDER BY object_id;";
        command.Parameters.AddWithValue("$r", resource);
        var list = new List<AcceptedAccessPolicy>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AcceptedAccessPolicy(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return list;
    }

    public override async Task ForgetAsync(string resource, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = EdgeKvDatabase.Open(connectionString);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM accepted_access_policies WHERE resource = $r;";
        command.Parameters.AddWithValue("$r", resource);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
