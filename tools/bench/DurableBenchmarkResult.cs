namespace EdgeKv.Bench;

/// <summary>The figures of one run on one store (and durability setting).</summary>
internal sealed record DurableBenchmarkResult(
    string Store,
    double RawCommitsPerSecond,
    double SequentialActivitiesPerSecond,
    double FanOutActivitiesPerSecond,
    double OrchestrationsPerSecond,
    double ManyActivitiesPerSecond,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    double SequentialCpuMicrosecondsPerActivity,
    double FanOutCpuMicrosecondsPerActivity,
    double ManyCpuMicrosecondsPerOrchestration);
