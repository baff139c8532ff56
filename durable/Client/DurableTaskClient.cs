using EdgeKv.Durable.History;
using EdgeKv.Durable.Storage;
using EdgeKv.Durable.Worker;

namespace EdgeKv.Durable;

/// <summary>Starts, queries and controls orchestration instances (the shape of durabletask-dotnet's client).</summary>
public sealed class DurableTaskClient
{
    private readonly DurableTaskRuntime _runtime;

    internal DurableTaskClient(DurableTaskRuntime runtime) => _runtime = runtime;

    private IOrchestrationStore Store => _runtime.Store;

    /// <summary>True when an orchestrator of this name can be started.</summary>
    public bool IsOrchestratorRegistered(string name) => _runtime.Registry.ContainsOrchestrator(name);

    /// <summary>
    /// Schedules a new instance and returns its id. An id that is Pending, Running or Suspended is refused with
    /// <see cref="OrchestrationInstanceExistsException"/> (nothing is duplicated); a finished one is replaced.
    /// </summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        if (!_runtime.Registry.ContainsOrchestrator(orchestratorName))
        {
            throw new ArgumentException($"No orchestrator named '{orchestratorName}' is registered.", nameof(orchestratorName));
        }

        string instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        if (!InstanceIds.IsValid(instanceId, out string? problem)) throw new ArgumentException(problem, nameof(options));

        string? serializedInput = _runtime.Converter.Serialize(input);
        ValidateInput(orchestratorName, serializedInput);
        DateTime now = _runtime.Time.GetUtcNow().UtcDateTime;
        var started = new ExecutionStartedEvent(orchestratorName, Guid.NewGuid().ToString("N"), serializedInput) { Timestamp = now };
        DateTime? startAt = options?.StartAt?.UtcDateTime;
        if (!await Store.CreateInstanceAsync(instanceId, started, startAt, cancellationToken))
        {
            throw new OrchestrationInstanceExistsException(instanceId);
        }

        if (startAt is { } at && at > now) _runtime.WakeAt(at);
        else _runtime.OrchestrationSignal.Set();
        return instanceId;
    }

    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        OrchestrationInstance? instance = await Store.GetInstanceAsync(instanceId, cancellationToken);
        return instance is null ? null : OrchestrationMetadata.From(instance, getInputsAndOutputs);
    }

    /// <summary>The current execution's history, oldest first.</summary>
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
        => Store.GetHistoryAsync(instanceId, cancellationToken);

    public async Task<(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken)> QueryInstancesAsync(
        InstanceQuery query, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        if (!ContinuationToken.IsValid(query.ContinuationToken)) throw new ArgumentException("The continuation token is not valid.", nameof(query));
        InstancePage page = await Store.QueryInstancesAsync(query, cancellationToken);
        return ([.. page.Instances.Select(i => OrchestrationMetadata.From(i, getInputsAndOutputs))], page.ContinuationToken);
    }

    /// <summary>Sends an event to an instance; false if the instance does not exist. Events for a finished instance are discarded.</summary>
    public Task<bool> RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, new EventRaisedEvent(eventName, _runtime.Converter.Serialize(eventPayload)), cancellationToken);
    }

    public Task<bool> TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, new ExecutionTerminatedEvent(reason), cancellationToken);

    public Task<bool> SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, new ExecutionSuspendedEvent(reason), cancellationToken);

    public Task<bool> ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, new ExecutionResumedEvent(reason), cancellationToken);

    /// <summary>Deletes a finished instance and its history; returns the number deleted (0 when unknown or still running).</summary>
    public Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => Store.PurgeInstanceAsync(instanceId, cancellationToken);

    public Task<int> PurgeAllInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
        => Store.PurgeInstancesAsync(filter, cancellationToken);

    /// <summary>Starts a finished instance again with its original input, under the same id or a new one.</summary>
    public async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellationToken = default)
    {
        OrchestrationInstance instance = await Store.GetInstanceAsync(instanceId, cancellationToken)
            ?? throw new ArgumentException($"No instance with id '{instanceId}' exists.", nameof(instanceId));
        string newId = restartWithNewInstanceId ? Guid.NewGuid().ToString("N") : instanceId;
        DateTime now = _runtime.Time.GetUtcNow().UtcDateTime;
        var started = new ExecutionStartedEvent(instance.Name, Guid.NewGuid().ToString("N"), instance.Input) { Timestamp = now };
        if (!await Store.CreateInstanceAsync(newId, started, null, cancellationToken)) throw new OrchestrationInstanceExistsException(newId);
        _runtime.OrchestrationSignal.Set();
        return newId;
    }

    /// <summary>Waits until the instance is Completed, Failed or Terminated.</summary>
    public Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
        => WaitForInstanceStateAsync(instanceId, m => m.IsCompleted, getInputsAndOutputs, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> holds for the instance, checking again whenever it changes.</summary>
    public async Task<OrchestrationMetadata> WaitForInstanceStateAsync(
        string instanceId, Func<OrchestrationMetadata, bool> condition, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // Register before reading, so a change between the read and the wait is not missed.
            Task changed = _runtime.Notifier.WaitForChangeAsync(instanceId);
            OrchestrationMetadata? metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken)
                ?? throw new ArgumentException($"No instance with id '{instanceId}' exists.", nameof(instanceId));
            if (condition(metadata)) return metadata;
            await WaitForChangeAsync(changed, cancellationToken);
        }
    }

    /// <summary>Waits until the instance's history satisfies <paramref name="condition"/> (for operators' tools and tests).</summary>
    public async Task<IReadOnlyList<HistoryEvent>> WaitForHistoryAsync(
        string instanceId, Func<IReadOnlyList<HistoryEvent>, bool> condition, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed = _runtime.Notifier.WaitForChangeAsync(instanceId);
            IReadOnlyList<HistoryEvent> history = await GetHistoryAsync(instanceId, cancellationToken);
            if (condition(history)) return history;
            await WaitForChangeAsync(changed, cancellationToken);
        }
    }

    private async Task WaitForChangeAsync(Task changed, CancellationToken cancellationToken)
    {
        // Another process may change the instance: look again at least every polling interval.
        await Task.WhenAny(changed, Task.Delay(_runtime.Options.MaxPollingInterval, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Refuses, before anything is stored, an input the orchestrator could not read.</summary>
    private void ValidateInput(string orchestratorName, string? serializedInput)
    {
        ITaskOrchestrator orchestrator = _runtime.Registry.CreateOrchestrator(orchestratorName, _runtime.Services)!;
        try
        {
            _runtime.Converter.Deserialize(serializedInput, orchestrator.InputType);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ArgumentException($"The input is not a valid {orchestrator.InputType.Name} for orchestrator '{orchestratorName}': {ex.Message}", nameof(serializedInput), ex);
        }
    }

    private async Task<bool> SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        bool sent = await Store.SendMessageAsync(new OutboundMessage(instanceId, e with { Timestamp = _runtime.Time.GetUtcNow().UtcDateTime }), cancellationToken);
        if (sent) _runtime.OrchestrationSignal.Set();
        return sent;
    }
}
