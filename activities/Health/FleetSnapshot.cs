using System.Collections.Concurrent;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The list-based part of a sweep: the devices (with their identities), vaults, locks and storage accounts of a resource
/// group (of a subscription) and each subscription's deleted vaults, listed once per sweep and host and shared by that sweep's page
/// activities (another host lists for itself). A handful of paged lists instead of reads per resource keeps a sweep of
/// thousands of resources inside Resource Manager's read limits. Only one sweep runs at a time, so a new sweep's first
/// list drops the previous sweep's snapshot, and nothing is kept beyond a few minutes; it holds names, identities and
/// access policies, no secret.
/// </summary>
public sealed class FleetSnapshot(TimeProvider time)
{
    private const string LockSegment = "/providers/Microsoft.Authorization/locks/";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Lazy<Task<object>> Value)> entries = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyDictionary<string, VaultProperties>> VaultsAsync(string sweepId, VaultsClient vaults, string resourceGroup, CancellationToken ct) =>
        (IReadOnlyDictionary<string, VaultProperties>)await GetAsync($"{sweepId}|vaults|{vaults.SubscriptionId}/{resourceGroup}", async () =>
            (await vaults.ListAsync(resourceGroup, ct)).ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase));

    public async Task<IReadOnlyDictionary<string, EdgeDevice>> DevicesAsync(string sweepId, EdgeDevicesClient devices, string resourceGroup, CancellationToken ct) =>
        (IReadOnlyDictionary<string, EdgeDevice>)await GetAsync($"{sweepId}|devices|{devices.SubscriptionId}/{resourceGroup}", async () =>
            (await devices.ListAsync(resourceGroup, ct)).ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The scopes (resource ids) in the resource group that hold a CanNotDelete or ReadOnly lock: Resource Manager's
    /// list at resource-group level includes the locks of the resources in it.
    /// </summary>
    public async Task<IReadOnlySet<string>> LockedScopesAsync(string sweepId, ManagementLocksClient locks, string subscriptionId, string resourceGroup,
        CancellationToken ct) =>
        (IReadOnlySet<string>)await GetAsync($"{sweepId}|locks|{subscriptionId}/{resourceGroup}", async () =>
            (await locks.ListAsync($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}", ct))
                .Where(l => string.Equals(l.Level, "CanNotDelete", StringComparison.OrdinalIgnoreCase) || string.Equals(l.Level, "ReadOnly", StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Id[..l.Id.LastIndexOf(LockSegment, StringComparison.OrdinalIgnoreCase)])
                .ToHashSet(StringComparer.OrdinalIgnoreCase));

    public async Task<IReadOnlyDictionary<string, DeletedVault>> DeletedVaultsAsync(string sweepId, VaultsClient vaults, CancellationToken ct) =>
        (IReadOnlyDictionary<string, DeletedVault>)await GetAsync($"{sweepId}|deleted|{vaults.SubscriptionId}", async () =>
            (await vaults.ListDeletedAsync(ct)).GroupBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase));

    public async Task<IReadOnlySet<string>> StorageAccountIdsAsync(string sweepId, StorageAccountsClient accounts, string resourceGroup, CancellationToken ct) =>
        (IReadOnlySet<string>)await GetAsync($"{sweepId}|storage|{accounts.SubscriptionId}/{resourceGroup}", async () =>
            (await accounts.ListAsync(resourceGroup, ct)).Select(a => a.Id).ToHashSet(StringComparer.OrdinalIgnoreCase));

    private async Task<object> GetAsync(string key, Func<Task<object>> list)
    {
        DateTimeOffset now = time.GetUtcNow();
        string sweep = key[..(key.IndexOf('|', StringComparison.Ordinal) + 1)];
        foreach (var stale in entries.Where(e => now - e.Value.At > Lifetime || !e.Key.StartsWith(sweep, StringComparison.Ordinal))) entries.TryRemove(stale);
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
