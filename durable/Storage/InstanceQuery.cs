namespace EdgeKv.Durable.Storage;

/// <summary>Filters for listing instances; every filter is optional. Pages continue from <see cref="ContinuationToken"/>.</summary>
public sealed record InstanceQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    public DateTime? CreatedFrom { get; init; }

    public DateTime? CreatedTo { get; init; }

    public string? InstanceIdPrefix { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }
}

/// <summary>One page of instances and the token for the next page (null when this is the last one).</summary>
public sealed record InstancePage(IReadOnlyList<OrchestrationInstance> Instances, string? ContinuationToken);

/// <summary>Which finished instances to purge.</summary>
public sealed record PurgeFilter(DateTime? CreatedFrom = null, DateTime? CreatedTo = null, IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses = null);
