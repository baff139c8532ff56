using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// The compute hosts that user-assigned identities are attached to. A host keeps its secret across updates, as a site
/// keeps its <c>IDENTITY_HEADER</c> while identities are attached to it or detached.
/// </summary>
internal sealed class IdentityHostRegistry(IDocumentStore store)
{
    public async Task<IdentityHostRecord> PutAsync(string name, IReadOnlyList<string> userAssignedIdentities,
        CancellationToken cancellationToken)
    {
        var secret = await GetAsync(name,
            cancellationToken) is { } existing ? existing.Secret : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var host = new IdentityHostRecord(name, secret, userAssignedIdentities);
        await store.PutAsync(Collections.IdentityHosts, name, new JsonObject
        {
            ["name"] = name,
            ["secret"] = secret,
            ["userAssignedIdentities"] = new JsonArray([.. userAssignedIdentities.Select(id => (JsonNode?)JsonValue.Create(id))]),
        }, cancellationToken);
        return host;
    }

    public async Task<IdentityHostRecord?> GetAsync(string name, CancellationToken cancellationToken) =>
        await store.GetAsync(Collections.IdentityHosts, name, cancellationToken) is { } doc ? Read(doc) : null;

    public async Task<IdentityHostRecord?> FindBySecretAsync(string secret, CancellationToken cancellationToken) =>
        (await store.ListAsync(Collections.IdentityHosts, cancellationToken)).Select(Read)
            .FirstOrDefault(h => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(h.Secret),
                Encoding.UTF8.GetBytes(secret)));

    public Task<bool> DeleteAsync(string name,
        CancellationToken cancellationToken) => store.DeleteAsync(Collections.IdentityHosts, name, cancellationToken);

    private static IdentityHostRecord Read(JsonObject doc) => new(
        (string)doc["name"]!, (string)doc["secret"]!,
        [.. doc["userAssignedIdentities"]!.AsArray().Select(n => (string)n!)]);
}
