using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace EdgeKv.Records.Tables;

/// <summary>
/// Row and partition keys: the characters Table storage refuses in keys (<c>/ \ # ?</c>, control characters) and the
/// escape character itself are written as <c>%XX</c>, so any name becomes a key and keys sort as the names do.
/// </summary>
public static class TableKeys
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '\'' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A case-insensitive key (names and ids compare without case in EdgeKv, as SQLite's NOCASE does).
    /// </summary>
    public static string Fold(string value) => Escape(value.ToLowerInvariant());

    /// <summary>
    /// The filter for every row key that starts with <paramref name="prefix"/> (after <paramref name="after"/>) in one
    /// partition.
    /// </summary>
    public static string PrefixFilter(string partition, string prefix, string? after = null) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after ?? prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");

    /// <summary>True when a write lost a race: another host changed (412) or created (409) the entity first.</summary>
    public static bool IsConflict(RequestFailedException ex) => ex?.Status is 409 or 412;

    /// <summary>
    /// How many times a conditional write that lost a race is tried in all. Each lost race means another host's write
    /// went in, so racing hosts all get through well within it; past it the partition is too busy (or something
    /// rewrites the row in a loop), and the write fails instead of spinning (at most about 20 s of pauses).
    /// </summary>
    public const int MaxConflictAttempts = 100;

    /// <summary>
    /// A short random pause before a retried conditional write, so racing hosts do not retry in step; after
    /// <see cref="MaxConflictAttempts"/> lost races (<paramref name="attempt"/> counts from 0) a
    /// <see cref="TableWriteConflictException"/> instead.
    /// </summary>
    public static Task BackoffAsync(int attempt, CancellationToken cancellationToken)
    {
        if (attempt + 1 >= MaxConflictAttempts)
        {
            throw new TableWriteConflictException(attempt + 1);
        }

        return Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (20 * Math.Min(attempt, 10)))),
            cancellationToken);
    }
}
