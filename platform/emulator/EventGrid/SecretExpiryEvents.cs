using System.Text.Json.Nodes;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Arm.Handlers;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Emulator.KeyVault;
using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// Key Vault's <c>Microsoft.KeyVault.SecretNearExpiry</c> (30 days before a secret's current version expires) and
/// <c>Microsoft.KeyVault.SecretExpired</c>, each published once per version, as Key Vault does, to the subscriptions on
/// the vault. Key Vault checks on its own schedule; the emulator checks when its admin API tells it to
/// (<c>POST /admin/keyvault/expiryCheck</c>), against its clock, so a test decides when the day comes.
/// </summary>
internal sealed class SecretExpiryEvents(ResourceRepository resources, VaultObjectStore objects,
    EventGridPublisher publisher, EmulatorClock clock)
{
    public const string SecretNearExpiry = "Microsoft.KeyVault.SecretNearExpiry";
    public const string SecretExpired = "Microsoft.KeyVault.SecretExpired";

    /// <summary>How long before its expiry a version is reported as nearing it (Key Vault's fixed 30 days).</summary>
    public static readonly TimeSpan NearExpiryWindow = TimeSpan.FromDays(30);

    private const string NearExpirySent = "nearExpiryEventSent";
    private const string ExpiredSent = "expiredEventSent";

    /// <summary>Publishes the events due now; answers how many of each.</summary>
    public async Task<(int NearExpiry, int Expired)> CheckAsync(CancellationToken cancellationToken)
    {
        int near = 0, expired = 0;
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var vault in await resources.ListAsync(VaultLifecycle.VaultType, cancellationToken))
        {
            var vaultName = (string)vault["name"]!;
            foreach (var doc in await objects.ListAsync(Collections.Secrets, vaultName.ToLowerInvariant(),
                deleted: false, cancellationToken))
            {
                if (VaultObjectStore.Latest(doc) is not { } version || (bool?)version["enabled"] == false || (long?)version["exp"] is not { } exp)
                {
                    continue;
                }

                var (type, flag) = exp <= now ? (SecretExpired, ExpiredSent)
                    : exp <= now + (long)NearExpiryWindow.TotalSeconds ? (SecretNearExpiry, NearExpirySent)
                    : (null, null);
                if (type is null || (bool?)version[flag!] == true)
                {
                    continue;
                }

                version[flag!] = true;
                await objects.PutAsync(Collections.Secrets, doc, cancellationToken);
                await publisher.PublishAsync(Event(vault, (string)doc["name"]!, version, type), cancellationToken);
                if (type == SecretExpired) expired++;
                else near++;
            }
        }

        return (near, expired);
    }

    private EmulatorEvent Event(JsonObject vault, string secret, JsonObject version, string type)
    {
        var vaultName = (string)vault["name"]!;
        var vaultUri = ((string?)vault["properties"]?["vaultUri"] ?? string.Empty).TrimEnd('/');
        var data = new JsonObject
        {
            ["Id"] = $"{vaultUri}/secrets/{secret}/{version["version"]}",
            ["VaultName"] = vaultName,
            ["ObjectType"] = "Secret",
            ["ObjectName"] = secret,
            ["Version"] = (string?)version["version"],
            ["NBF"] = (long?)version["nbf"],
            ["EXP"] = (long?)version["exp"],
        };
        var id = (string)vault["id"]!;
        return new EmulatorEvent(Guid.NewGuid().ToString(), type, secret, clock.GetUtcNow(), data, id, id, "1");
    }
}
