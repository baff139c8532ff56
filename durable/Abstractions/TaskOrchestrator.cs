namespace EdgeKv.Durable;

/// <summary>The untyped contract the replay executor runs; implement <see cref="TaskOrchestrator{TInput,TOutput}"/> instead.</summary>
public interface ITaskOrchestrator
{
    Type InputType { get; }

    Type OutputType { get; }

    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// A workflow. Runs many times (replay), so it must be deterministic: no wall-clock time, random numbers,
/// GUIDs, threads, delays or I/O; use the context for all of those.
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    Type ITaskOrchestrator.InputType => typeof(TInput);

    Type ITaskOrchestrator.OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input)
        => await RunAsync(context, input is null ? default! : (TInput)input);
}
