using DurableTask.Core;

namespace EdgeKv.Bench.Dtfx;

/// <summary>The benchmark's activity: adds one.</summary>
public sealed class StepActivity : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input) => input + 1;
}

/// <summary>input steps one after another.</summary>
public sealed class SequenceBenchOrchestration : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        int value = 0;
        for (int i = 0; i < input; i++) value = await context.ScheduleTask<int>(typeof(StepActivity), value);
        return value;
    }
}

/// <summary>input steps at once, awaited together.</summary>
public sealed class FanOutBenchOrchestration : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        int[] results = await Task.WhenAll(Enumerable.Range(0,
            input).Select(i => context.ScheduleTask<int>(typeof(StepActivity), i)));
        return results.Length;
    }
}
