using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The keyset markers of the sweep's pages (the name each page follows; null for the first): 50 strings for 10,000
/// resources at 200 a page.
/// </summary>
[DurableTask(Name)]
public sealed class ListSweepPagesActivity(ResourceStore store) : TaskActivity<int, IReadOnlyList<string?>>
{
    public const string Name = "ListSweepPages";

    public override Task<IReadOnlyList<string?>> RunAsync(TaskActivityContext context,
        int input) => store.PageStartsAsync(Math.Max(1, input), context.CancellationToken);
}
