using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Durable;

/// <summary>The orchestrators and activities a worker can run, by name (case-insensitive, as in Durable Functions).</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> OrchestratorNames => _orchestrators.Keys;

    public IReadOnlyCollection<string> ActivityNames => _activities.Keys;

    public DurableTaskRegistry AddOrchestrator<T>() where T : class, ITaskOrchestrator
        => AddOrchestrator(DurableTaskAttribute.NameOf(typeof(T)), sp => ActivatorUtilities.CreateInstance<T>(sp));

    public DurableTaskRegistry AddOrchestrator(string name, Func<IServiceProvider, ITaskOrchestrator> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_orchestrators.TryAdd(name, factory)) throw new ArgumentException($"An orchestrator named '{name}' is already registered.", nameof(name));
        return this;
    }

    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run)
        => AddOrchestrator(name, _ => new FuncOrchestrator<TInput, TOutput>(run));

    public DurableTaskRegistry AddActivity<T>() where T : class, ITaskActivity
        => AddActivity(DurableTaskAttribute.NameOf(typeof(T)), sp => ActivatorUtilities.CreateInstance<T>(sp));

    public DurableTaskRegistry AddActivity(string name, Func<IServiceProvider, ITaskActivity> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_activities.TryAdd(name, factory)) throw new ArgumentException($"An activity named '{name}' is already registered.", nameof(name));
        return this;
    }

    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> run)
        => AddActivity(name, _ => new FuncActivity<TInput, TOutput>(run));

    public bool ContainsOrchestrator(string name) => _orchestrators.ContainsKey(name);

    internal ITaskOrchestrator? CreateOrchestrator(string name, IServiceProvider services)
        => _orchestrators.TryGetValue(name, out var factory) ? factory(services) : null;

    internal ITaskActivity? CreateActivity(string name, IServiceProvider services)
        => _activities.TryGetValue(name, out var factory) ? factory(services) : null;

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}
