using System.Diagnostics;
using DurableTask.Core;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// The framework asks for an activity by name; each run gets its own DI scope, in which the SDK registry makes the
/// activity and the shim factory adapts it.
/// </summary>
internal sealed class ActivityLookup(IDurableTaskFactory factory, DurableTaskShimFactory shims,
    IServiceScopeFactory scopes, CancellationToken stopping)
    : INameVersionObjectManager<TaskActivity>
{
    public void Add(ObjectCreator<TaskActivity> creator)
        => throw new NotSupportedException("Activities are added to the DurableTaskRegistry, not to the worker.");

    public TaskActivity GetObject(string name, string? version) => new ScopedActivity(new TaskName(name), this);

    /// <summary>Makes the activity in a new scope and runs it through the SDK's shim.</summary>
    private async Task<string> RunAsync(TaskName name, TaskContext context, string input)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        if (!factory.TryCreateActivity(name, scope.ServiceProvider, out ITaskActivity? activity) || activity is null)
        {
            throw new InvalidOperationException($"No activity named '{name.Name}' is registered.");
        }

        ActivityCancellation.Current = stopping;
        long started = Stopwatch.GetTimestamp();
        bool succeeded = false;
        try
        {
            string output = await shims.CreateActivity(name, activity).RunAsync(context, input);
            succeeded = true;
            return output;
        }
        finally
        {
            DurableTaskMetrics.ActivityRan(name.Name, succeeded, Stopwatch.GetElapsedTime(started));
        }
    }

    private sealed class ScopedActivity(TaskName name, ActivityLookup lookup) : TaskActivity
    {
        public override string Run(TaskContext context, string input)
            => throw new NotSupportedException("Activities run asynchronously.");

        public override Task<string> RunAsync(TaskContext context, string input) => lookup.RunAsync(name, context,
            input);
    }
}
