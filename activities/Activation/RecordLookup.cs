using EdgeKv.Records;

namespace EdgeKv.Activities.Activation;

internal static class RecordLookup
{
    public static async Task<ResourceRecord> RequireAsync(this ResourceStore store, string name,
        CancellationToken cancellationToken) =>
        await store.GetAsync(name, cancellationToken)
            ?? throw new ActivationRefusedException("ResourceNotFound", $"EdgeKv manages no resource named '{name}'.");

    public static string RequireVault(this ResourceRecord record) =>
        record.VaultName ?? throw new ActivationRefusedException("VaultNotProvisioned",
            $"Resource '{record.Name}' has no vault yet.");
}
