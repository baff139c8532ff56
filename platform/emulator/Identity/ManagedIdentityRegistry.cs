using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// System-assigned managed identities created with resources. Each has a principal (object) id, a client id and
/// a secret that is the value of <c>X-IDENTITY-HEADER</c> on the managed-identity endpoint.
/// </summary>
internal sealed class ManagedIdentityRegistry(IDocumentStore store, Guid tenantId)
{
    public async Task<ManagedIdentityRecord> CreateAsync(string resourceId, CancellationToken cancellationToken)
    {
        var identity = new ManagedIdentityRecord(Guid.NewGuid(), Guid.NewGuid(), tenantId, resourceId,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), Enabled: true);
        await SaveAsync(identity, cancellationToken);
        return identity;
    }

    public async Task<ManagedIdentityRecord?> GetAsync(Guid principalId, CancellationToken cancellationToken) =>
        await store.GetAsync(Collections.Identities, principalId.ToString(),
            cancellationToken) is { } doc ? Read(doc) : null;

    public async Task<ManagedIdentityRecord?> FindByResourceAsync(string resourceId,
        CancellationToken cancellationToken) =>
        (await store.FindAsync(Collections.Identities, "resourceId", resourceId, under: null,
            cancellationToken)).Select(Read).FirstOrDefault();

    public async Task<ManagedIdentityRecord?> FindBySecretAsync(string secret, CancellationToken cancellationToken) =>
        (await store.FindAsync(Collections.Identities, "secret", secret, under: null,
            cancellationToken)).Select(Read).FirstOrDefault(i => CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(i.Secret), System.Text.Encoding.UTF8.GetBytes(secret)));

    public async Task<IReadOnlyList<ManagedIdentityRecord>> ListAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(Collections.Identities, cancellationToken)).Select(Read).ToList();

    public Task SaveAsync(ManagedIdentityRecord identity, CancellationToken cancellationToken) =>
        store.PutAsync(Collections.Identities, identity.PrincipalId.ToString(), new JsonObject
        {
            ["principalId"] = identity.PrincipalId.ToString(),
            ["clientId"] = identity.ClientId.ToString(),
            ["tenantId"] = identity.TenantId.ToString(),
            ["resourceId"] = identity.ResourceId,
            ["secret"] = identity.Secret,
            ["enabled"] = identity.Enabled,
        }, cancellationToken);

    public Task<bool> DeleteAsync(Guid principalId, CancellationToken cancellationToken) =>
        store.DeleteAsync(Collections.Identities, principalId.ToString(), cancellationToken);

    private static ManagedIdentityRecord Read(JsonObject doc) => new(
        Guid.Parse((string)doc["principalId"]!), Guid.Parse((string)doc["clientId"]!),
        Guid.Parse((string)doc["tenantId"]!),
        (string)doc["resourceId"]!, (string)doc["secret"]!, (bool)doc["enabled"]!);
}
