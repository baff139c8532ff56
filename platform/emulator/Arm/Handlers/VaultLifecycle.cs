using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>
/// Soft-delete and purge of vaults, shared by the vault routes, resource group deletion and the admin API.
/// Soft-deleted vaults are kept by name (names are global) until purged, by request or automatically after
/// their scheduled purge date.
/// </summary>
internal sealed class VaultLifecycle(ArmServices services, KeyVault.VaultObjectStore objects,
    KeyVault.VaultListeners listeners)
{
    public const string VaultType = "Microsoft.KeyVault/vaults";

    /// <summary>
    /// Moves a vault to the deleted state (its extension resources, such as role assignments, are removed).
    /// </summary>
    public async Task SoftDeleteAsync(JsonObject vault, CancellationToken cancellationToken)
    {
        var now = services.Clock.GetUtcNow();
        var retention = (int?)vault["properties"]?["softDeleteRetentionInDays"] ?? 90;
        var deleted = new JsonObject
        {
            ["vault"] = vault.DeepClone(),
            ["deletionDate"] = now.ToString("O"),
            ["scheduledPurgeDate"] = now.AddDays(retention).ToString("O"),
        };
        await services.Store.PutAsync(Collections.DeletedVaults, (string)vault["name"]!, deleted, cancellationToken);
        await services.Resources.DeleteTreeAsync((string)vault["id"]!, cancellationToken);
    }

    /// <summary>The soft-deleted vault of that name, after removing it if its purge is overdue.</summary>
    public async Task<JsonObject?> GetDeletedAsync(string name, CancellationToken cancellationToken)
    {
        var deleted = await services.Store.GetAsync(Collections.DeletedVaults, name, cancellationToken);
        if (deleted is not null && IsPurgeOverdue(deleted))
        {
            await DestroyAsync(name, cancellationToken);
            return null;
        }

        return deleted;
    }

    public async Task<IReadOnlyList<JsonObject>> ListDeletedAsync(string subscriptionId,
        CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        foreach (var deleted in await services.Store.ListAsync(Collections.DeletedVaults, cancellationToken))
        {
            var name = (string)deleted["vault"]!["name"]!;
            if (await GetDeletedAsync(name, cancellationToken) is { } live &&
                string.Equals(Authorization.ScopePath.SubscriptionOf((string)live["vault"]!["id"]!), subscriptionId,
                    StringComparison.OrdinalIgnoreCase))
            {
                result.Add(live);
            }
        }

        return result;
    }

    /// <summary>
    /// Forgets the deleted-vault record (after a recover the vault and its secrets and keys live again).
    /// </summary>
    public Task<bool> ForgetDeletedAsync(string name, CancellationToken cancellationToken) =>
        services.Store.DeleteAsync(Collections.DeletedVaults, name, cancellationToken);

    /// <summary>Purges a soft-deleted vault: the record, every secret and key of the vault; its port closes.</summary>
    public async Task DestroyAsync(string name, CancellationToken cancellationToken)
    {
        await services.Store.DeleteAsync(Collections.DeletedVaults, name, cancellationToken);
        await objects.DeleteVaultAsync(name, cancellationToken);
        await listeners.ReleaseAsync(name, cancellationToken);
    }

    /// <summary>Purge protection holds until the scheduled purge date.</summary>
    public bool IsPurgeBlocked(JsonObject deleted) =>
        (bool?)deleted["vault"]!["properties"]?["enablePurgeProtection"] == true &&
        services.Clock.GetUtcNow() < DateTimeOffset.Parse((string)deleted["scheduledPurgeDate"]!,
            System.Globalization.CultureInfo.InvariantCulture);

    public JsonObject ToWire(JsonObject deleted)
    {
        var vault = deleted["vault"]!.AsObject();
        var location = (string)vault["location"]!;
        var name = (string)vault["name"]!;
        var subscriptionId = Authorization.ScopePath.SubscriptionOf((string)vault["id"]!);
        return new JsonObject
        {
            ["id"] = $"/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}",
            ["name"] = name,
            ["type"] = "Microsoft.KeyVault/deletedVaults",
            ["properties"] = new JsonObject
            {
                ["vaultId"] = (string?)vault["id"],
                ["location"] = location,
                ["deletionDate"] = (string?)deleted["deletionDate"],
                ["scheduledPurgeDate"] = (string?)deleted["scheduledPurgeDate"],
                ["tags"] = vault["tags"]?.DeepClone() ?? new JsonObject(),
                ["purgeProtectionEnabled"] = (bool?)vault["properties"]?["enablePurgeProtection"] == true,
            },
        };
    }

    private bool IsPurgeOverdue(JsonObject deleted) =>
        services.Clock.GetUtcNow() >= DateTimeOffset.Parse((string)deleted["scheduledPurgeDate"]!,
            System.Globalization.CultureInfo.InvariantCulture) + services.Settings.AutoPurgeDelay;
}
