using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>Adds one to its input.</summary>
public sealed class AddOneActivity : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input) => input + 1;
}

/// <summary>Runs AddOne input times in sequence, each on the previous result: returns input.</summary>
public sealed class SequenceOrchestration : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        int value = 0;
        for (int i = 0; i < input; i++) value = await context.ScheduleTask<int>(typeof(AddOneActivity), value);
        return value;
    }
}

/// <summary>Runs AddOne on 0..input-1 at once and sums the results: input*(input+1)/2.</summary>
public sealed class FanOutOrchestration : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        int[] results = await Task.WhenAll(Enumerable.Range(0,
            input).Select(i => context.ScheduleTask<int>(typeof(AddOneActivity), i)));
        return results.Sum();
    }
}

/// <summary>Waits on a durable timer of input seconds, then returns the orchestration time it resumed at.</summary>
public sealed class TimerOrchestration : TaskOrchestration<DateTime, int>
{
    public override async Task<DateTime> RunTask(OrchestrationContext context, int input)
    {
        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(input), "t");
        return context.CurrentUtcDateTime;
    }
}

/// <summary>Runs one activity, then waits for the "approve" event and returns its data.</summary>
public sealed class ApprovalOrchestration : TaskOrchestration<string, int, string, string>
{
    private readonly TaskCompletionSource<string> _approval = new();

    public override async Task<string> RunTask(OrchestrationContext context, int input)
    {
        await context.ScheduleTask<int>(typeof(AddOneActivity), input);
        return await _approval.Task;
    }

    public override void OnEvent(OrchestrationContext context, string name, string input)
    {
        if (name == "approve") _approval.TrySetResult(input);
    }
}

/// <summary>
/// Starts a SequenceOrchestration of input steps as a sub-orchestration and returns its result plus 100.
/// </summary>
public sealed class ParentOrchestration : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input) =>
        100 + await context.CreateSubOrchestrationInstance<int>(typeof(SequenceOrchestration),
            $"{context.OrchestrationInstance.InstanceId}-child", input);
}

/// <summary>Continues as new with input+1 until it reaches 3, then returns the number of generations seen.</summary>
public sealed class CounterOrchestration : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        int next = await context.ScheduleTask<int>(typeof(AddOneActivity), input);
        if (next < 3)
        {
            context.ContinueAsNew(next);
            return -1;
        }

        return next;
    }
}

/// <summary>
/// SequenceOrchestration that counts how often the framework runs it from the start (a replay), per instance.
/// </summary>
public sealed class CountingSequenceOrchestration : TaskOrchestration<int, int>
{
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Runs = new();

    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        Runs.AddOrUpdate(context.OrchestrationInstance.InstanceId, 1, (_, n) => n + 1);
        int value = 0;
        for (int i = 0; i < input; i++) value = await context.ScheduleTask<int>(typeof(AddOneActivity), value);
        return value;
    }
}
