using System.Text;

namespace EdgeKv.Durable.Storage;

/// <summary>
/// The SQL of an instance query, the same for every relational store: filters, keyset paging by (created, id) and one
/// row more than the page to know whether another page follows. Stores differ only in how parameters are written and
/// in the collation that gives ids the byte order the continuation token assumes.
/// </summary>
internal static class InstanceQuerySql
{
    /// <param name="query">What to select.</param>
    /// <param name="parameterPrefix"><c>$</c> for SQLite, <c>@</c> for PostgreSQL.</param>
    /// <param name="binaryCollation">Appended to ids compared or sorted (<c> COLLATE "C"</c> for PostgreSQL; SQLite compares bytes already).</param>
    public static (string Sql, (string Name, object? Value)[] Parameters, int PageSize) Build(InstanceQuery query, string parameterPrefix, string binaryCollation = "")
    {
        ArgumentNullException.ThrowIfNull(query);
        string P(string name) => parameterPrefix + name;
        var sql = new StringBuilder("SELECT ").Append(InstanceRows.Columns).Append(" FROM instances WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status IN (").AppendJoin(", ", statuses.Select((_, i) => P($"st{i}"))).Append(')');
            parameters.AddRange(statuses.Select((s, i) => (P($"st{i}"), (object?)(int)s)));
        }

        if (query.CreatedFrom is { } from) { sql.Append(" AND created_at >= ").Append(P("from")); parameters.Add((P("from"), from.Ticks)); }
        if (query.CreatedTo is { } to) { sql.Append(" AND created_at <= ").Append(P("to")); parameters.Add((P("to"), to.Ticks)); }
        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            sql.Append(" AND substr(instance_id, 1, ").Append(P("plen")).Append(") = ").Append(P("prefix"));
            parameters.Add((P("plen"), query.InstanceIdPrefix.Length));
            parameters.Add((P("prefix"), query.InstanceIdPrefix));
        }

        if (ContinuationToken.TryParse(query.ContinuationToken, out long afterCreated, out string afterId))
        {
            sql.Append(" AND (created_at > ").Append(P("ac")).Append(" OR (created_at = ").Append(P("ac"))
                .Append(" AND instance_id").Append(binaryCollation).Append(" > ").Append(P("ai")).Append("))");
            parameters.Add((P("ac"), afterCreated));
            parameters.Add((P("ai"), afterId));
        }

        int pageSize = Math.Clamp(query.PageSize, 1, 1000);
        sql.Append(" ORDER BY created_at, instance_id").Append(binaryCollation).Append(" LIMIT ").Append(P("limit"));
        parameters.Add((P("limit"), pageSize + 1));
        return (sql.ToString(), [.. parameters], pageSize);
    }

    /// <summary>The page from the rows read (one more than the page when another page follows).</summary>
    public static InstancePage ToPage(List<OrchestrationInstance> rows, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string? next = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            OrchestrationInstance last = rows[^1];
            next = ContinuationToken.Create(last.CreatedAt.Ticks, last.InstanceId);
        }

        return new InstancePage(rows, next);
    }
}
