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

    /// <summary>
    /// A page of the records the caller may see: a scoped auditor sees the records of the resources in its scope only
    /// (records tied to no resource, such as role changes, are for service-wide roles). Filtering walks the trail in
    /// batches until the page is full, so pages stay full and the continuation token stays a position in the trail.
    /// </summary>
    private static async Task<IResult> QueryAsync(HttpRequest request, AuditTrail trail, EdgeKvAuthorizer authorizer, DateTimeOffset? from, DateTimeOffset? to, string? principal, string? operation,
        string? resource, string? result, long? continuationToken, int? top, CancellationToken ct)
    {
        int size = top ?? 100;
        if (size is < 1 or > MaxTop) return AzureError.BadRequest("InvalidTop", $"top must be 1-{MaxTop}.");
        ResourceVisibility view = await authorizer.VisibilityAsync(EdgeKvCaller.From(request.HttpContext.User)!, Permission.AuditRead, ct);
        var filter = new AuditQuery(from, to, principal, operation, resource, result, continuationToken, view.SeesEverything ? size + 1 : ScanBatch);
        var visible = new List<AuditRecord>();
        while (true)
        {
            IReadOnlyList<AuditRecord> batch = await trail.QueryAsync(filter, ct);
            foreach (AuditRecord record in batch)
            {
                if (visible.Count <= size && await view.CanSeeAsync(record.Resource, ct)) visible.Add(record);
            }

            if (visible.Count > size || batch.Count < filter.Top) break;
            filter = filter with { After = batch[^1].Sequence };
        }

        IReadOnlyList<AuditRecord> page = visible;
        string? next = null;
        if (page.Count > size)
        {
            page = [.. page.Take(size)];
            var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            query["continuationToken"] = page[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
            next = $"{request.Scheme}://{request.Host}{request.Path}?" + string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        }

        return Results.Ok(new AuditPage(page, next));
    }
}

/// <summary>One page of records and the link to the next page (null on the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Value, string? NextLink);
