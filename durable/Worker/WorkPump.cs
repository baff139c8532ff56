using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Durable.Worker;

/// <summary>
/// The dispatch loop both dispatchers share: run work handed over in memory first; poll the store only when
/// this process signalled that it queued work there, or when the idle back-off has passed (work queued by
/// other processes); never run more than the concurrency limit at once.
/// </summary>
internal sealed class WorkPump<T>
    where T : class
{
    private readonly string _name;
    private readonly int _concurrency;
    private readonly Channel<T> _local;
    private readonly WorkSignal _storeSignal;
    private readonly Func<int, CancellationToken, Task<IReadOnlyList<T>>> _poll;
    private readonly Func<T, Task> _run;
    private readonly TimeSpan _maxIdle;
    private readonly ILogger _logger;
    private readonly List<Task> _inFlight = [];

    public WorkPump(
        string name,
        int concurrency,
        Channel<T> local,
        WorkSignal storeSignal,
        Func<int, CancellationToken, Task<IReadOnlyList<T>>> poll,
        Func<T, Task> run,
        TimeSpan maxIdle,
        ILogger logger)
    {
        _name = name;
        _concurrency = concurrency;
        _local = local;
        _storeSignal = storeSignal;
        _poll = poll;
        _run = run;
        _maxIdle = maxIdle;
        _logger = logger;
    }

    /// <summary>Runs until <paramref name="stopping"/>; returns the work still running then, for the caller's shutdown policy.</summary>
    public async Task<Task[]> RunAsync(CancellationToken stopping)
    {
        // Not disposed here: work still in flight when the pump stops releases its slot afterwards (graceful shutdown).
        var slots = new SemaphoreSlim(_concurrency);
        TimeSpan idle = TimeSpan.FromMilliseconds(1);
        bool pollNow = true;
        Task storeSignalled = _storeSignal.Snapshot();
        while (!stopping.IsCancellationRequested)
        {
            bool holdingSlot = false;
            try
            {
                await slots.WaitAsync(stopping);
                holdingSlot = true;
                if (_local.Reader.TryRead(out T? local))
                {
                    holdingSlot = false;
                    Start(local, slots);
                    continue;
                }

                if (pollNow)
                {
                    // Prefetch up to twice the concurrency: the rest waits locally, so a burst costs one lease per batch.
                    storeSignalled = _storeSignal.Snapshot();
                    int room = Math.Max(1, (_concurrency * 2) - _local.Reader.Count);
                    IReadOnlyList<T> items = await _poll(room, stopping);
                    if (items.Count > 0)
                    {
                        idle = TimeSpan.FromMilliseconds(1);
                        holdingSlot = false;
                        Start(items[0], slots);
                        for (int i = 1; i < items.Count; i++) _local.Writer.TryWrite(items[i]);
                        continue;
                    }

                    pollNow = false;
                }

                holdingSlot = false;
                slots.Release();
                Task localArrived = _local.Reader.WaitToReadAsync(stopping).AsTask();
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                Task winner = await Task.WhenAny(storeSignalled, localArrived, Task.Delay(idle, waiting.Token));
                await waiting.CancelAsync(); // no idle timer outlives the wait
                stopping.ThrowIfCancellationRequested();
                if (winner != localArrived)
                {
                    pollNow = true;
                    if (winner != storeSignalled) idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _maxIdle.Ticks));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                if (holdingSlot) slots.Release();
                break;
            }
            catch (Exception ex)
            {
                if (holdingSlot) slots.Release();
                Logs.DispatcherError(_logger, _name, ex);
                await Task.Delay(_maxIdle, CancellationToken.None);
                pollNow = true;
            }
        }

        lock (_inFlight) return [.. _inFlight.Where(t => !t.IsCompleted)];
    }

    /// <summary>Work handed over but not started when the pump stopped; the caller releases its leases.</summary>
    public IEnumerable<T> DrainLocal()
    {
        while (_local.Reader.TryRead(out T? item)) yield return item;
    }

    private void Start(T item, SemaphoreSlim slots)
    {
        Task running = Task.Run(async () =>
        {
            try
            {
                await _run(item);
            }
            finally
            {
                slots.Release();
            }
        }, CancellationToken.None);
        lock (_inFlight)
        {
            _inFlight.RemoveAll(t => t.IsCompleted);
            _inFlight.Add(running);
        }
    }
}
