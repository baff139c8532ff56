using System.Globalization;
using EdgeKv.Functions.Http;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// <c>GET /api/audit</c>: EdgeKv's own audit trail for auditors and the security team, filtered and paged.
/// </summary>
public sealed class AuditFunctions(AuditTrail trail, EdgeKvAuthorizer authorizer)
{
    [Function("VerifyAudit"), RequiresPermission(Permission.AuditRead, ActionScope.Service, Audited = false)]
    public async Task<IResult> VerifyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "audit/verify")] HttpRequest request, CancellationToken ct) =>
        await trail.VerifyAsync(ct) is { } broken ? Results.Ok(new { intact = false,
            firstBrokenSequence = broken }) : Results.Ok(new { intact = true });

    /// <summary>
    /// A page of the records at the scope read at (<c>?scope=</c>, the service's by default) and below: a resource's or
    /// a group's records for an auditor of that scope (records tied to no resource, such as role changes, are the
    /// service scope's). <see cref="FilteredPager"/> keeps pages full, the continuation token a position in the trail,
    /// and each request's reading bounded.
    /// </summary>
    [Function("QueryAudit"), RequiresPermission(Permission.AuditRead, ActionScope.QueryScope, Audited = false)]
    public async Task<IResult> QueryAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get",
        Route = "audit")] HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTimeOffset? from = QueryValues.Time(request, "from");
        DateTimeOffset? to = QueryValues.Time(request, "to");
        string? principal = QueryValues.Text(request, "principal");
        string? operation = QueryValues.Text(request, "operation");
        string? resource = QueryValues.Text(request, "resource");
        string? result = QueryValues.Text(request, "result");
        long? continuationToken = QueryValues.Long(request, "continuationToken");
        int? top = QueryValues.Int(request, "top");
        (int size, IResult? invalid) = FilteredPager.PageSize(top);
        if (invalid is not null) return invalid;
        if (RequestScope.Read(request) is not { } scope) return RequestScope.Invalid();
        ResourceVisibility view = authorizer.Below(scope);
        (IReadOnlyList<AuditRecord> page, string? resume) = await FilteredPager.ReadAsync(
            (after, limit) => trail.QueryAsync(new AuditQuery(from, to, principal, operation, resource, result,
                after is null ? continuationToken : long.Parse(after, CultureInfo.InvariantCulture), limit), ct),
            record => record.Sequence.ToString(CultureInfo.InvariantCulture),
            record => view.CanSeeAsync(record.Resource, ct),
            size, after: null, filtered: !view.SeesEverything);
        return Results.Ok(new AuditPage(page, resume is null ? null : FilteredPager.NextLink(request, resume)));
    }
}

/// <summary>One page of records and the link to the next page (null on the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Value, string? NextLink);
