using EdgeKv.Tasks;
using EdgeKv.Records.Keys;
using Microsoft.DurableTask;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// The providers a key is distributed to (not being removed), for the flows that act in every vault holding it.
/// </summary>
[DurableTask(Name)]
public sealed class ListKeyProvidersActivity(KeyStore store) : TaskActivity<string, IReadOnlyList<string>>
{
    public const string Name = "ListKeyProviders";

    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, string input) =>
        [.. (await store.ListDistributionsOfKeyAsync(input,
            context.CancellationToken)).Where(d => d.State != DistributionState.Removing).Select(d => d.KmsName)];
}
