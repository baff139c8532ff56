using System.Collections.Concurrent;
using Azure;
using Azure.ResourceManager;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Health;

/// <summary>
/// The list-based part of a sweep: the devices (with their identities), vaults (with their access policies), locks and
/// storage accounts of each subscription the fleet lives in, and its deleted vaults, listed once per sweep and host and
/// shared by that sweep's page activities (another host lists for itself). A handful of paged lists per subscription
/// instead of reads per resource keeps a sweep of thousands of resources inside Resource Manager's read budget, which
/// is counted per subscription and principal. Where EdgeKv holds its roles on resource groups only, Resource Manager
/// refuses the subscription's list (403): the snapshot then lists each group the fleet uses instead, and asks for the
/// subscription's list again only after <see cref="RefusalMemory"/>. Only one sweep runs at a time, so a new sweep's
/// first list drops the previous sweep's snapshot, and nothing is kept beyond a few minutes; it holds names, identities
/// and access policies, no secret.
/// </summary>
public sealed class FleetSnapshot(TimeProvider time)
{
    /// <summary>
    /// How long a refused subscription-wide list is not asked for again (roles change rarely; each refusal is a read).
    /// </summary>
    public static readonly TimeSpan RefusalMemory = TimeSpan.FromHours(1);

    private const string LockSegment = "/providers/Microsoft.Authorization/locks/";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At,
        Lazy<Task<object>> Value)> entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> refused = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The vault of that name in the resource group, as the fleet list shows it; null when it is not there.
    /// </summary>
    public async Task<VaultProperties?> FindVaultAsync(string sweepId, ArmClient arm, string subscriptionId,
        string resourceGroup, string name, CancellationToken ct) =>
        (await InGroupAsync(sweepId, "vaults", subscriptionId, resourceGroup,
            async group => ByGroupAndName(await new VaultsClient(arm, subscriptionId).ListAsync(group, ct), v => v.Id,
                v => v.Name)))
        .GetValueOrDefault(Key(resourceGroup, name));

    /// <summary>
    /// The Azure Stack Edge resource of that name in the resource group, with its identity; null when it is not there.
    /// </summary>
    public async Task<EdgeDevice?> FindDeviceAsync(string sweepId, ArmClient arm, string subscriptionId,
        string resourceGroup, string name, CancellationToken ct) =>
        (await InGroupAsync(sweepId, "devices", subscriptionId, resourceGroup,
            async group => ByGroupAndName(await new EdgeDevicesClient(arm, subscriptionId).ListAsync(group, ct),
                d => d.Id, d => d.Name)))
        .GetValueOrDefault(Key(resourceGroup, name));

    /// <summary>
    /// The scopes (resource ids) that hold a CanNotDelete or ReadOnly lock, among them those of the resource group and
    /// what it holds: Resource Manager's list at a scope includes the locks below it.
    /// </summary>
    public async Task<bool> IsLockedAsync(string sweepId, ArmClient arm, string subscriptionId, string resourceGroup,
        string scope, CancellationToken ct) =>
        (await InGroupAsync(sweepId, "locks", subscriptionId, resourceGroup, async group =>
            (await new ManagementLocksClient(arm).ListAsync(group is null ? $"/subscriptions/{subscriptionId}" : $"/subscriptions/{subscriptionId}/resourceGroups/{group}", ct))
                .Where(l => string.Equals(l.Level, "CanNotDelete",
                    StringComparison.OrdinalIgnoreCase) || string.Equals(l.Level, "ReadOnly",
                        StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Id[..l.Id.LastIndexOf(LockSegment, StringComparison.OrdinalIgnoreCase)])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToDictionary(s => s, s => true, StringComparer.OrdinalIgnoreCase)))
        .ContainsKey(scope);

    /// <summary>True when a storage account with that id is in the subscription's (or the group's) list.</summary>
    public async Task<bool> StorageAccountExistsAsync(string sweepId, ArmClient arm, string subscriptionId,
        string resourceGroup, string accountId, CancellationToken ct) =>
        (await InGroupAsync(sweepId, "storage", subscriptionId, resourceGroup, async group =>
            (await new StorageAccountsClient(arm, subscriptionId).ListAsync(group,
                ct)).Select(a => a.Id).Distinct(StringComparer.OrdinalIgnoreCase)
                .ToDictionary(id => id, _ => true, StringComparer.OrdinalIgnoreCase)))
        .ContainsKey(accountId);

    /// <summary>The subscription's soft-deleted vaults by name (listed only when a sweep misses a vault).</summary>
    public async Task<IReadOnlyDictionary<string, DeletedVault>> DeletedVaultsAsync(string sweepId, ArmClient arm,
        string subscriptionId, CancellationToken ct) =>
        (IReadOnlyDictionary<string, DeletedVault>)await GetAsync($"{sweepId}|deleted|{subscriptionId}", async () =>
            (await new VaultsClient(arm, subscriptionId).ListDeletedAsync(ct)).GroupBy(v => v.Name,
                StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// One kind of list for a resource group's resources: the subscription's list (shared by every group in it), or the
    /// group's own where the subscription's is refused. <paramref name="list"/> lists the subscription when given null.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, T>> InGroupAsync<T>(string sweepId, string kind,
        string subscriptionId, string resourceGroup,
        Func<string?, Task<Dictionary<string, T>>> list)
    {
        string refusal = $"{subscriptionId}|{kind}";
        if (!refused.TryGetValue(refusal, out DateTimeOffset at) || time.GetUtcNow() - at > RefusalMemory)
        {
            try
            {
                return (IReadOnlyDictionary<string, T>)await GetAsync($"{sweepId}|{kind}|{subscriptionId}",
                    async () => await list(null));
            }
            catch (RequestFailedException ex) when (ex.Status == 403)
            {
                refused[refusal] = time.GetUtcNow();
            }
        }

        return (IReadOnlyDictionary<string, T>)await GetAsync($"{sweepId}|{kind}|{subscriptionId}|{resourceGroup}",
            async () => await list(resourceGroup));
    }

    private static Dictionary<string, T> ByGroupAndName<T>(IEnumerable<T> items, Func<T, string> id,
        Func<T, string> name)
    {
        var map = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (T item in items) map[Key(ResourceIdParts.GroupOf(id(item)) ?? string.Empty, name(item))] = item;
        return map;
    }

    private static string Key(string resourceGroup, string name) => $"{resourceGroup}|{name}";

    private async Task<object> GetAsync(string key, Func<Task<object>> list)
    {
        DateTimeOffset now = time.GetUtcNow();
        string sweep = key[..(key.IndexOf('|', StringComparison.Ordinal) + 1)];
        foreach (var stale in entries.Where(e => now - e.Value.At > Lifetime || !e.Key.StartsWith(sweep,
            StringComparison.Ordinal))) entries.TryRemove(stale);
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
