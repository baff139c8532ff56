using System.Threading.Channels;
using EdgeKv.Durable.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeKv.Durable.Worker;

/// <summary>What the client and the dispatchers of one process share: the store, the registry and the wake-up signals.</summary>
internal sealed class DurableTaskRuntime : IDisposable
{
    private readonly Lock _timerLock = new();
    private ITimer? _wakeTimer;
    private DateTime _wakeAt = DateTime.MaxValue;

    public DurableTaskRuntime(
        IOrchestrationStore store,
        DurableTaskRegistry registry,
        IServiceProvider services,
        IOptions<DurableTaskOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        Store = store;
        Registry = registry;
        Services = services;
        Options = options.Value;
        Time = time;
        LoggerFactory = loggerFactory;
    }

    public IOrchestrationStore Store { get; }

    public DurableTaskRegistry Registry { get; }

    public IServiceProvider Services { get; }

    public DurableTaskOptions Options { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public DataConverter Converter { get; } = DataConverter.Default;

    public WorkSignal OrchestrationSignal { get; } = new();

    public WorkSignal ActivitySignal { get; } = new();

    public InstanceCompletionNotifier Notifier { get; } = new();

    /// <summary>Activities this process leased while committing an episode, waiting for a local activity slot.</summary>
    public Channel<ActivityWorkItem> LocalActivities { get; } = Channel.CreateUnbounded<ActivityWorkItem>();

    /// <summary>Orchestration work this process leased while committing, waiting for a local orchestration slot.</summary>
    public Channel<OrchestrationWorkItem> LocalOrchestrations { get; } = Channel.CreateUnbounded<OrchestrationWorkItem>();

    /// <summary>The lease a commit may take on follow-up work; activities are leased ahead only while local slots can take them soon.</summary>
    public WorkLease FollowUpLease(int maxActivities)
        => new(Options.WorkerId, Options.WorkItemLease, Math.Max(0, maxActivities));

    /// <summary>Gives leased work straight to the local dispatcher; its pump wakes on the channel.</summary>
    public void HandOff(ActivityWorkItem item) => LocalActivities.Writer.TryWrite(item);

    public void HandOff(OrchestrationWorkItem item) => LocalOrchestrations.Writer.TryWrite(item);

    /// <summary>Wakes the orchestration dispatcher when a durable timer (or a delayed start) falls due, on the runtime's clock.</summary>
    public void WakeAt(DateTime due)
    {
        lock (_timerLock)
        {
            DateTime now = Time.GetUtcNow().UtcDateTime;
            if (_wakeTimer is not null && _wakeAt <= due && _wakeAt > now) return;
            _wakeTimer?.Dispose();
            _wakeAt = due;
            TimeSpan delay = due - now;
            _wakeTimer = Time.CreateTimer(_ => OrchestrationSignal.Set(), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_timerLock) _wakeTimer?.Dispose();
    }
}
