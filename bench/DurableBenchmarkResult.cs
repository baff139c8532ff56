using EdgeKv.Durable.Storage.Sqlite;

namespace EdgeKv.Bench;

/// <summary>The figures of one run at one durability setting.</summary>
internal sealed record DurableBenchmarkResult(
    SqliteDurability Durability,
    double RawCommitsPerSecond,
    double SequentialActivitiesPerSecond,
    double FanOutActivitiesPerSecond,
    double OrchestrationsPerSecond,
    double ManyActivitiesPerSecond,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    double SequentialCpuMicrosecondsPerActivity,
    double FanOutCpuMicrosecondsPerActivity);
