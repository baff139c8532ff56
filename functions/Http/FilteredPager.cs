namespace EdgeKv.Functions.Http;

/// <summary>
/// Keyset paging over a source read in batches, keeping only what the caller may see: pages stay full where possible,
/// the continuation token stays a position in the source, and one request reads a bounded number of items (a narrow
/// view over a long source costs several short requests, each ending early with a nextLink, never one unbounded one).
/// </summary>
internal static class FilteredPager
{
    public const int DefaultTop = 100;
    public const int MaxTop = 1000;
    public const int Batch = 500;

    /// <summary>
    /// The page size a list asks for (<c>top</c>, default 100), or the 400 that says it is out of range.
    /// </summary>
    public static (int Size, IResult? Invalid) PageSize(int? top)
    {
        int size = top ?? DefaultTop;
        return size is < 1 or > MaxTop ? (size,
            AzureError.BadRequest("InvalidTop", $"top must be 1-{MaxTop}.")) : (size, null);
    }

    public const int MaxScanned = 20 * Batch;

    /// <param name="read">Reads up to the given number of items after a position (null: from the start), in
    /// order.</param>
    /// <param name="positionOf">An item's position, as the continuation token carries it.</param>
    /// <param name="visible">Whether the caller may see the item.</param>
    /// <param name="size">The page size.</param>
    /// <param name="after">Where the previous page stopped.</param>
    /// <param name="filtered">False when every item is visible: one read of a page and one more item is enough.</param>
    public static async Task<(IReadOnlyList<T> Page,
        string? ResumeAfter)> ReadAsync<T>(Func<string?, int, Task<IReadOnlyList<T>>> read, Func<T, string> positionOf,
        Func<T, ValueTask<bool>> visible, int size, string? after, bool filtered)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(positionOf);
        ArgumentNullException.ThrowIfNull(visible);
        int batchSize = filtered ? Batch : size + 1;
        var page = new List<T>();
        int scanned = 0;
        string? position = after;
        while (true)
        {
            IReadOnlyList<T> batch = await read(position, batchSize);
            scanned += batch.Count;
            foreach (T item in batch)
            {
                if (page.Count <= size && await visible(item)) page.Add(item);
            }

            if (page.Count > size) return ([.. page.Take(size)], positionOf(page[size - 1]));
            if (batch.Count < batchSize) return (page, null);
            position = positionOf(batch[^1]);
            if (scanned >= MaxScanned) return (page, position);
        }
    }

    /// <summary>The URL of the next page: this request's URL with the continuation token replaced.</summary>
    public static string NextLink(HttpRequest request, string resumeAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        query["continuationToken"] = resumeAfter;
        return $"{request.Scheme}://{request.Host}{request.Path}?" + string.Join('&',
            query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
    }
}

/// <summary>One page of a list in Azure's shape: the items and the link to the next page (null on the last).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Value, string? NextLink);
