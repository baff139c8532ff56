using EdgeKv.Functions.Http;

namespace EdgeKv.Functions.Security;

/// <summary><c>GET /api/audit</c>: EdgeKv's own audit trail for auditors and the security team, filtered and paged.</summary>
public static class AuditApi
{
    public const int MaxTop = 1000;

    public static void MapAuditApi(this WebApplication app)
    {
        app.MapGet("/api/audit", QueryAsync).RequireEdgeKvPermission(Permission.AuditRead, audited: false).WithTags("Audit");
        app.MapGet("/api/audit/verify", async (AuditTrail trail, CancellationToken ct) =>
            await trail.VerifyAsync(ct) is { } broken ? Results.Ok(new { intact = false, firstBrokenSequence = broken }) : Results.Ok(new { intact = true }))
            .RequireEdgeKvPermission(Permission.AuditRead, audited: false).WithTags("Audit");
    }

    private const int ScanBatch = 500;

    /// <summary>How many records one request reads at most for a scoped caller; beyond that the page ends early, with a nextLink.</summary>
    private const int MaxScanned = 20 * ScanBatch;

    /// <summary>
    /// A page of the records the caller may see: a scoped auditor sees the records of the resources in its scope only
    /// (records tied to no resource, such as role changes, are for service-wide roles). Filtering walks the trail in
    /// batches until the page is full, and the continuation token stays a position in the trail. One request reads at
    /// most <see cref="MaxScanned"/> records, so a narrow scope over a long trail costs several short requests (a page
    /// may then hold fewer than <c>top</c> records, or none, with a nextLink), never one unbounded one.
    /// </summary>
    private static async Task<IResult> QueryAsync(HttpRequest request, AuditTrail trail, EdgeKvAuthorizer authorizer, DateTimeOffset? from, DateTimeOffset? to, string? principal, string? operation,
        string? resource, string? result, long? continuationToken, int? top, CancellationToken ct)
    {
        int size = top ?? 100;
        if (size is < 1 or > MaxTop) return AzureError.BadRequest("InvalidTop", $"top must be 1-{MaxTop}.");
        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(request.HttpContext.User)!, Permission.AuditRead, ct);
        var filter = new AuditQuery(from, to, principal, operation, resource, result, continuationToken, view.SeesEverything ? size + 1 : ScanBatch);
        var visible = new List<AuditRecord>();
        int scanned = 0;
        long? resumeAfter = null;
        while (true)
        {
            IReadOnlyList<AuditRecord> batch = await trail.QueryAsync(filter, ct);
            scanned += batch.Count;
            foreach (AuditRecord record in batch)
            {
                if (visible.Count <= size && await view.CanSeeAsync(record.Resource, ct)) visible.Add(record);
            }

            if (visible.Count > size || batch.Count < filter.Top) break;
            filter = filter with { After = batch[^1].Sequence };
            if (scanned >= MaxScanned)
            {
                resumeAfter = batch[^1].Sequence; // the page ends early; the next one resumes after what was read
                break;
            }
        }

        IReadOnlyList<AuditRecord> page = visible;
        if (page.Count > size)
        {
            page = [.. page.Take(size)];
            resumeAfter = page[^1].Sequence;
        }

        return Results.Ok(new AuditPage(page, resumeAfter is { } after ? NextLink(request, after) : null));
    }

    private static string NextLink(HttpRequest request, long after)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        query["continuationToken"] = after.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{request.Scheme}://{request.Host}{request.Path}?" + string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
    }
}

/// <summary>One page of records and the link to the next page (null on the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Value, string? NextLink);
