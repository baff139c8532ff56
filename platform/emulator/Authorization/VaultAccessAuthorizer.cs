using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// Data-plane authorization by vault access policy: the caller's object id needs an entry in the vault's
/// <c>accessPolicies</c> whose permissions of the kind (<c>secrets</c>, <c>keys</c>, <c>certificates</c>,
/// <c>storage</c>) include the permission (such as <c>get</c>) or <c>all</c>.
/// </summary>
public sealed class VaultAccessAuthorizer
{
    private readonly IDocumentStore store;

    internal VaultAccessAuthorizer(IDocumentStore store) => this.store = store;

    public async Task<bool> HasPermissionAsync(string vaultName, Guid objectId, string kind, string permission,
        CancellationToken cancellationToken)
    {
        var vault = (await store.FindAsync(Collections.Resources, "name", vaultName, under: null,
            cancellationToken)).FirstOrDefault(doc =>
            string.Equals((string?)doc["type"], "Microsoft.KeyVault/vaults", StringComparison.OrdinalIgnoreCase));
        if (vault?["properties"]?["accessPolicies"] is not System.Text.Json.Nodes.JsonArray policies)
        {
            return false;
        }

        return policies.Any(policy =>
            Guid.TryParse((string?)policy?["objectId"], out var id) && id == objectId &&
            policy!["permissions"]?[kind] is System.Text.Json.Nodes.JsonArray granted &&
            granted.Any(p => p is not null && (string.Equals((string?)p, permission,
                StringComparison.OrdinalIgnoreCase) ||
                string.Equals((string?)p, "all", StringComparison.OrdinalIgnoreCase))));
    }
}
