using System.Globalization;
using System.Text;
using DurableTask.Core.Query;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The WHERE clause of an instance query and its continuation token. Pages are ordered by (created time, instance
/// id); the token is the last row's key, so a page resumes after it even when rows are added or removed meanwhile.
/// </summary>
internal static class QueryFilter
{
    public static (string Where, List<(string Name, object? Value)> Parameters) Build(OrchestrationQuery query)
    {
        var clauses = new List<string> { "1 = 1" };
        var parameters = new List<(string, object?)>();
        if (query.RuntimeStatus is { Count: > 0 } statuses)
        {
            clauses.Add($"status IN ({string.Join(", ", statuses.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))})");
        }

        if (query.CreatedTimeFrom is DateTime from)
        {
            clauses.Add("created_at >= $from");
            parameters.Add(("$from", UtcTicks.Of(from)));
        }

        if (query.CreatedTimeTo is DateTime to)
        {
            clauses.Add("created_at <= $to");
            parameters.Add(("$to", UtcTicks.Of(to)));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            clauses.Add("substr(instance_id, 1, length($prefix)) = $prefix");
            parameters.Add(("$prefix", query.InstanceIdPrefix));
        }

        if (query.ExcludeEntities) clauses.Add("substr(instance_id, 1, 1) <> '@'");

        if (!string.IsNullOrEmpty(query.ContinuationToken))
        {
            (long created, string id) = Parse(query.ContinuationToken);
            clauses.Add("(created_at > $afterCreated OR (created_at = $afterCreated AND instance_id > $afterId))");
            parameters.Add(("$afterCreated", created));
            parameters.Add(("$afterId", id));
        }

        return (string.Join(" AND ", clauses), parameters);
    }

    public static string Token(long created, string instanceId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{created}:{instanceId}")));

    private static (long Created, string InstanceId) Parse(string token)
    {
        try
        {
            string text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            return (long.Parse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture), text[(colon + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentException("The continuation token is not one this task hub issued.", nameof(token), ex);
        }
    }
}
