namespace EdgeKv.Durable;

/// <summary>The untyped contract the activity dispatcher runs; implement <see cref="TaskActivity{TInput,TOutput}"/> instead.</summary>
public interface ITaskActivity
{
    Type InputType { get; }

    Type OutputType { get; }

    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// One step of a workflow. Runs at least once (a crash between the work and its checkpoint runs it again),
/// so it must be idempotent. All I/O belongs here.
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    Type ITaskActivity.InputType => typeof(TInput);

    Type ITaskActivity.OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input)
        => await RunAsync(context, input is null ? default! : (TInput)input);
}
