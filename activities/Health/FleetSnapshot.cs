using System.Collections.Concurrent;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The list-based part of a sweep: the vaults and storage accounts of a resource group and the subscription's deleted
/// vaults, listed once per sweep and host and shared by that sweep's page activities (another host lists for itself).
/// Kept in memory for a few minutes only; it holds names and access policies, no secret.
/// </summary>
public sealed class FleetSnapshot(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Lazy<Task<object>> Value)> entries = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyDictionary<string, VaultProperties>> VaultsAsync(string sweepId, VaultsClient vaults, string resourceGroup, CancellationToken ct) =>
        (IReadOnlyDictionary<string, VaultProperties>)await GetAsync($"{sweepId}|vaults|{resourceGroup}", async () =>
            (await vaults.ListAsync(resourceGroup, ct)).ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase));

    public async Task<IReadOnlyDictionary<string, DeletedVault>> DeletedVaultsAsync(string sweepId, VaultsClient vaults, CancellationToken ct) =>
        (IReadOnlyDictionary<string, DeletedVault>)await GetAsync($"{sweepId}|deleted", async () =>
            (await vaults.ListDeletedAsync(ct)).GroupBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase));

    public async Task<IReadOnlySet<string>> StorageAccountIdsAsync(string sweepId, StorageAccountsClient accounts, string resourceGroup, CancellationToken ct) =>
        (IReadOnlySet<string>)await GetAsync($"{sweepId}|storage|{resourceGroup}", async () =>
            (await accounts.ListAsync(resourceGroup, ct)).Select(a => a.Id).ToHashSet(StringComparer.OrdinalIgnoreCase));

    private async Task<object> GetAsync(string key, Func<Task<object>> list)
    {
        DateTimeOffset now = time.GetUtcNow();
        foreach (var stale in entries.Where(e => now - e.Value.At > Lifetime)) entries.TryRemove(stale);
        var entry = entries.GetOrAdd(key, _ => (now, new Lazy<Task<object>>(list)));
        try
        {
            return await entry.Value.Value;
        }
        catch
        {
            entries.TryRemove(key, out _);
            throw;
        }
    }
}
