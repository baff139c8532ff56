using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using Core = DurableTask.Core;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using OrchestrationQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace EdgeKv.Durable.Client;

/// <summary>
/// A Durable Task SDK client over any Durable Task Framework <see cref="IOrchestrationServiceClient"/> (the provider
/// the worker runs on). Select it with <c>UseBuildTarget&lt;OrchestrationServiceDurableTaskClient&gt;()</c>. Starting
/// an id that is Pending, Running or Suspended is refused with <see cref="OrchestrationAlreadyExistsException"/>:
/// nothing is ever started twice, and a running instance is never replaced.
/// </summary>
public sealed class OrchestrationServiceDurableTaskClient : DurableTaskClient
{
    private static readonly OrchestrationStatus[] s_activeStatuses = [OrchestrationStatus.Pending,
        OrchestrationStatus.Running, OrchestrationStatus.Suspended];
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromSeconds(1);

    /// <summary>Each concrete history event type of the framework, by the <see cref="EventType"/> it reports.</summary>
    private static readonly Dictionary<EventType, Type> s_eventTypes = typeof(HistoryEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(HistoryEvent)) && !t.IsAbstract)
        .ToDictionary(t => ((HistoryEvent)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t)).EventType);
    private readonly IOrchestrationServiceClient _client;
    private readonly DataConverter _converter;
    private readonly TimeProvider _time;

    public OrchestrationServiceDurableTaskClient(string name, IOrchestrationServiceClient client,
        IOptionsMonitor<DurableTaskClientOptions> options, TimeProvider time)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _converter = options.Get(name).DataConverter;
        _time = time;
    }

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name);
        string instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        if (!InstanceIds.IsValid(instanceId, out string? problem)) throw new ArgumentException(problem,
            nameof(options));
        string? serialized = _converter.Serialize(input);
        OrchestrationStatus[] dedupe = options?.DedupeStatuses is { Count: > 0 } statuses
            ? [.. statuses.Select(s => (OrchestrationStatus)Enum.Parse<OrchestrationRuntimeStatus>(s,
                ignoreCase: true))]
            : s_activeStatuses;
        cancellation.ThrowIfCancellationRequested();
        if (await GetInstancesAsync(instanceId, false,
            cancellation) is { } existing && dedupe.Contains((OrchestrationStatus)existing.RuntimeStatus))
        {
            throw new OrchestrationAlreadyExistsException($"An orchestration with instance id '{instanceId}' is already {existing.RuntimeStatus}.");
        }

        var instance = new OrchestrationInstance { InstanceId = instanceId,
            ExecutionId = Guid.NewGuid().ToString("N") };
        var started = new ExecutionStartedEvent(-1, serialized)
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value),
        };
        await _client.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance,
            Event = started }, dedupe);
        return instanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName },
            cancellation);
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        // The reason is the instance's output, as in Durable Functions: a plain string stays a plain string.
        string? reason = options?.Output is string text ? text : _converter.Serialize(options?.Output);
        return _client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null,
        CancellationToken cancellation = default)
        => SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null,
        CancellationToken cancellation = default)
        => SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        IList<OrchestrationState>? states = await _client.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states is { Count: > 0 } && states[0] is { } state ? ToMetadata(state, getInputsAndOutputs) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        IOrchestrationServiceQueryClient queries = _client as IOrchestrationServiceQueryClient
            ?? throw new NotSupportedException($"{_client.GetType().Name} cannot query instances.");
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => (OrchestrationStatus)s).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                PageSize = pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            OrchestrationQueryResult result = await queries.GetOrchestrationWithQueryAsync(query, cancellation);
            return new Page<OrchestrationMetadata>([.. result.OrchestrationState.Select(s => ToMetadata(s,
                query.FetchInputsAndOutputs))], result.ContinuationToken);
        });
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            OrchestrationMetadata metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation)
                ?? throw new InvalidOperationException($"No instance with id '{instanceId}' exists.");
            if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Pending) return metadata;
            await Task.Delay(delay, _time, cancellation);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxPoll.Ticks));
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        while (true)
        {
            // The provider waits in bounded slices (some add the timeout to the current time), until the caller
            // cancels.
            OrchestrationState? state = await _client.WaitForOrchestrationAsync(instanceId, null,
                TimeSpan.FromMinutes(10), cancellation);
            cancellation.ThrowIfCancellationRequested();
            if (state is not null && state.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated)
            {
                return ToMetadata(state, getInputsAndOutputs);
            }
        }
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null,
        CancellationToken cancellation = default)
    {
        OrchestrationMetadata? metadata = await GetInstancesAsync(instanceId, false, cancellation);
        if (metadata is null) return new PurgeResult(0);
        if (!metadata.IsCompleted) throw new InvalidOperationException($"Instance '{instanceId}' is {metadata.RuntimeStatus}; only a finished instance can be purged.");
        Core.PurgeResult result = await PurgeClient.PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter,
        PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        var coreFilter = new PurgeInstanceFilter(filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => (OrchestrationStatus)s));
        Core.PurgeResult result = await PurgeClient.PurgeInstanceStateAsync(coreFilter);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <summary>Starts a finished instance again with its original input, under the same id or a new one.</summary>
    public override async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false,
        CancellationToken cancellation = default)
    {
        OrchestrationMetadata metadata = await GetInstancesAsync(instanceId, true, cancellation)
            ?? throw new ArgumentException($"No instance with id '{instanceId}' exists.", nameof(instanceId));
        string newId = restartWithNewInstanceId ? Guid.NewGuid().ToString("N") : instanceId;
        var instance = new OrchestrationInstance { InstanceId = newId, ExecutionId = Guid.NewGuid().ToString("N") };
        var started = new ExecutionStartedEvent(-1, metadata.SerializedInput) { Name = metadata.Name,
            OrchestrationInstance = instance };
        await _client.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance,
            Event = started }, s_activeStatuses);
        return newId;
    }

    /// <summary>
    /// The current execution's history, as the SDK's client gives it in a Functions app (its gRPC client asks the
    /// Durable extension). The provider hands it over as JSON: events carry their type name (the SQLite provider) or
    /// only their <c>EventType</c> (the Azure Storage provider), so each event is read as the concrete type its
    /// <c>EventType</c> names, and no JSON type name is trusted.
    /// </summary>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        if (await GetInstancesAsync(instanceId, false,
            cancellation) is null) throw new ArgumentException($"No instance with id '{instanceId}' exists.",
                nameof(instanceId));
        string json = await _client.GetOrchestrationHistoryAsync(instanceId, null);
        var events = new List<HistoryEvent>();
        if (string.IsNullOrWhiteSpace(json)) return events;
        foreach (JObject e in JArray.Parse(json).OfType<JObject>())
        {
            e.Remove("$type");
            JToken? kind = e.GetValue(nameof(HistoryEvent.EventType), StringComparison.OrdinalIgnoreCase);
            EventType type = kind?.Type == JTokenType.String ? Enum.Parse<EventType>(kind.Value<string>()!,
                ignoreCase: true) : (EventType)(kind?.Value<int>() ?? -1);
            if (!s_eventTypes.TryGetValue(type,
                out Type? concrete)) throw new InvalidOperationException($"Instance '{instanceId}' has a history event of unknown type {type}.");
            events.Add((HistoryEvent)e.ToObject(concrete)!);
        }

        return events;
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IOrchestrationServicePurgeClient PurgeClient => _client as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException($"{_client.GetType().Name} cannot purge instances.");

    private Task SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return _client.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = e });
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool withPayloads) => new(state.Name,
        state.OrchestrationInstance.InstanceId)
    {
        DataConverter = _converter,
        RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
        SerializedInput = withPayloads ? state.Input : null,
        SerializedOutput = withPayloads ? state.Output : null,
        SerializedCustomStatus = state.Status,
        FailureDetails = ToFailure(state.FailureDetails),
    };

    private static TaskFailureDetails? ToFailure(FailureDetails? failure) => failure is null
        ? null
        : new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace,
            ToFailure(failure.InnerFailure), null);
}
