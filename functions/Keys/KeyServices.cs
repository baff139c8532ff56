using EdgeKv.Activities;
using EdgeKv.Activities.Keys;
using EdgeKv.Records;
using EdgeKv.Records.Keys;

namespace EdgeKv.Functions.Keys;

/// <summary>
/// Key management's services: the key store in EdgeKv.db, under a key-encryption key that is a file under the data
/// path (<c>key-encryption.key</c>, owner-only) unless <c>EdgeKv:Keys:KeyEncryptionKeyVaultUri</c> and
/// <c>EdgeKv:Keys:KeyEncryptionKeyName</c> name a vault key that wraps it (real Azure).
/// </summary>
public static class KeyServices
{
    public const string SectionName = "EdgeKv:Keys";

    public static IServiceCollection AddEdgeKvKeys(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(SectionName);
        string? vaultUri = section["KeyEncryptionKeyVaultUri"];
        string? keyName = section["KeyEncryptionKeyName"];
        if (!string.IsNullOrEmpty(vaultUri) != !string.IsNullOrEmpty(keyName))
        {
            throw new InvalidOperationException($"{SectionName}:KeyEncryptionKeyVaultUri and {SectionName}:KeyEncryptionKeyName go together: set both (a vault key wraps EdgeKv's key material) or neither (a local key file).");
        }

        services.AddSingleton<KeyEncryptionKey>(sp => string.IsNullOrEmpty(vaultUri)
            ? new LocalKeyEncryptionKey(Path.Combine(dataPath, "key-encryption.key"))
            : new VaultKeyEncryptionKey(async ct => (await sp.GetRequiredService<AzureContextProvider>().GetAsync(ct)).Factory.CreateKeysClient(new Uri(vaultUri)), keyName!));
        services.AddSingleton(sp => new KeyStore(new ResourceStoreOptions(Path.Combine(dataPath, "EdgeKv.db")), sp.GetRequiredService<KeyEncryptionKey>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<KeyRotationScheduler>();
        return services;
    }
}
