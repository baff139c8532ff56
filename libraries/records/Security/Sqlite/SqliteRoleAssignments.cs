using System.Globalization;
using Microsoft.Data.Sqlite;
using EdgeKv.Records.Security;

namespace EdgeKv.Records.Security.Sqlite;

/// <summary>Role assignments in <see cref="SecurityDatabase"/> (table <c>role_assignments</c>).</summary>
public sealed class SqliteRoleAssignments(SecurityDatabase store) : RoleAssignmentBackend
{
    public override async Task<IReadOnlyList<RoleAssignment>> ListAsync(string? principalId,
        CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, principal_id, role, scope, created_at, created_by FROM role_assignments"
            + (principalId is null ? "" : " WHERE principal_id = $p COLLATE NOCASE") + " ORDER BY created_at, id";
        if (principalId is not null) command.Parameters.AddWithValue("$p", principalId);
        var list = new List<RoleAssignment>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A row that does not describe a valid assignment grants nothing and never takes the principal's requests
            // down.
            if (RoleAssignment.ParseRole(reader.GetString(2)) is not { } role
                || !DateTimeOffset.TryParse(reader.GetString(4), CultureInfo.InvariantCulture,
                    DateTimeStyles.RoundtripKind, out DateTimeOffset created))
            {
                continue;
            }

            list.Add(new RoleAssignment(reader.GetString(0), reader.GetString(1), role, reader.GetString(3), created,
                reader.GetString(5)));
        }

        return list;
    }

    public override async Task PutAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO role_assignments (id, principal_id, role, scope, created_at, created_by) VALUES ($id, $p, $r, $s, $t, $b)
            ON CONFLICT(id) DO UPDATE SET principal_id = $p, role = $r, scope = $s, created_at = $t, created_by = $b
            """;
        command.Parameters.AddWithValue("$id", assignment.Id);
        command.Parameters.AddWithValue("$p", assignment.PrincipalId);
        command.Parameters.AddWithValue("$r", assignment.Role.ToString());
        command.Parameters.AddWithValue("$s", assignment.Scope);
        command.Parameters.AddWithValue("$t", assignment.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$b", assignment.CreatedBy);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = store.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM role_assignments WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
