using EdgeKv.Tasks;
using EdgeKv.Records.Sweeps;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Writes a finished sweep to the sweep history. Idempotent: keyed by the sweep's id, so a retried or replayed call
/// keeps one record. True when this call added it.
/// </summary>
[DurableTask(Name)]
public sealed class RecordSweepActivity(SweepHistoryStore history) : TaskActivity<SweepRecord, bool>
{
    public const string Name = "RecordSweep";

    public override Task<bool> RunAsync(TaskActivityContext context, SweepRecord input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return history.RecordAsync(input, context.CancellationToken);
    }
}
