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

    private static async Task<IResult> QueryAsync(HttpRequest request, AuditTrail trail, DateTimeOffset? from, DateTimeOffset? to, string? principal, string? operation,
        string? resource, string? result, long? continuationToken, int? top, CancellationToken ct)
    {
        int size = top ?? 100;
        if (size is < 1 or > MaxTop) return AzureError.BadRequest("InvalidTop", $"top must be 1-{MaxTop}.");
        IReadOnlyList<AuditRecord> page = await trail.QueryAsync(new AuditQuery(from, to, principal, operation, resource, result, continuationToken, size + 1), ct);
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
