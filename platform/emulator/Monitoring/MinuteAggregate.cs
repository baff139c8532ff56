namespace EdgeKv.Emulator.Monitoring;

/// <summary>One minute of one dimension set: request count and latency.</summary>
internal sealed record MinuteAggregate(DateTimeOffset Minute, MetricDimensions Dimensions, long Count,
    double LatencySumMs, double LatencyMinMs, double LatencyMaxMs);
