namespace EdgeKv.Bench;

/// <summary>How big each workload shape is.</summary>
internal sealed record WorkloadSizes(int Sequential, int FanOut, int Orchestrations, int StepsPerOrchestration);
