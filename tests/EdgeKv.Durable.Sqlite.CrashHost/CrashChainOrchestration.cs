using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite.CrashHost;

/// <summary>Ten steps, each a plain activity then an idempotent one; prints each finished step once, live.</summary>
public sealed class CrashChainOrchestration : TaskOrchestration<int, int>
{
    public const int Steps = 10;

    public static string EffectsFolder { get; set; } = ".";

    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        for (int step = 1; step <= input; step++)
        {
            await context.ScheduleTask<int>(typeof(AppendStepActivity), step);
            await context.ScheduleTask<int>(typeof(MarkStepOnceActivity), step);
            if (!context.IsReplaying) Console.WriteLine($"step {step}");
        }

        return input;
    }
}
