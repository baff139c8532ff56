using System.Security.Cryptography;
using System.Text.Json.Nodes;
using global::Azure.Core;
using Sdk = global::Azure.Security.KeyVault.Keys;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Key Vault keys over the SDK's <see cref="Sdk.KeyClient"/>, answered as EdgeKv's records: create RSA and EC keys
/// (software or HSM), import JWKs and BYOK transfer blobs, get, list, update, delete, recover, purge;
/// <see cref="GetCryptographyClient"/> for the cryptographic operations. Errors are
/// <see cref="global::Azure.RequestFailedException"/> with Key Vault's error code.
/// </summary>
public sealed class KeysClient
{
    /// <summary>
    /// Key Vault's token scope in the public cloud; other clouds set <see cref="KeysClientOptions.Scope"/>.
    /// </summary>
    public const string Scope = "https://vault.azure.net/.default";
    private readonly Sdk.KeyClient client;
    private readonly ByokKeyImporter byok;

    public KeysClient(Uri vaultUri, TokenCredential credential, KeysClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new KeysClientOptions();
        VaultUri = vaultUri.AbsoluteUri.EndsWith('/') ? vaultUri : new Uri(vaultUri.AbsoluteUri + "/");
        client = new Sdk.KeyClient(VaultUri, credential, options);
        byok = new ByokKeyImporter(VaultUri, credential, options);
    }

    public Uri VaultUri { get; }

    /// <summary>
    /// Creates an RSA key, or a new version of it (rotation). <paramref name="keyOperations"/> null permits all RSA
    /// operations.
    /// </summary>
    public async Task<KeyVaultKey> CreateRsaKeyAsync(string name, int keySize = 2048,
        IEnumerable<string>? keyOperations = null, bool hardwareProtected = false,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new Sdk.CreateRsaKeyOptions(name, hardwareProtected) { KeySize = keySize };
        Fill(options, keyOperations, tags);
        return KeyMapper.Key((await client.CreateRsaKeyAsync(options, cancellationToken)).Value);
    }

    /// <summary>Imports an RSA key with its private part (as a JSON Web Key), or a new version of it.</summary>
    public Task<KeyVaultKey> ImportRsaKeyAsync(string name, RSA key, IEnumerable<string> keyOperations,
        bool hardwareProtected = false,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ImportKeyAsync(name, JsonWebKey.FromRsa(key, includePrivateParameters: true, keyOperations),
            hardwareProtected, tags, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Creates an EC key on <paramref name="curve"/> (P-256, P-384, P-521), or a new version of it. <paramref
    /// name="keyOperations"/> null permits sign and verify; <paramref name="hardwareProtected"/> makes an EC-HSM key
    /// (premium vaults only).
    /// </summary>
    public async Task<KeyVaultKey> CreateEcKeyAsync(string name, string curve = KeyCurveNames.P256,
        IEnumerable<string>? keyOperations = null,
        bool hardwareProtected = false, IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(curve);
        var options = new Sdk.CreateEcKeyOptions(name, hardwareProtected) { CurveName = new Sdk.KeyCurveName(curve) };
        Fill(options, keyOperations, tags);
        return KeyMapper.Key((await client.CreateEcKeyAsync(options, cancellationToken)).Value);
    }

    /// <summary>
    /// Creates a Key Exchange Key for Bring Your Own Key: an RSA-HSM key (premium vaults only) whose only operation is
    /// <c>import</c>. Wrap keys for it with <see cref="ByokTransferBlob"/> and import them with <see
    /// cref="ImportKeyAsync"/>.
    /// </summary>
    public Task<KeyVaultKey> CreateKeyExchangeKeyAsync(string name, CancellationToken cancellationToken = default) =>
        CreateKeyExchangeKeyAsync(name, 2048, cancellationToken);

    /// <summary>Creates a Key Exchange Key of <paramref name="keySize"/> bits (2048, 3072 or 4096).</summary>
    public Task<KeyVaultKey> CreateKeyExchangeKeyAsync(string name, int keySize,
        CancellationToken cancellationToken = default) =>
        CreateRsaKeyAsync(name, keySize, [KeyOperations.Import], hardwareProtected: true,
            cancellationToken: cancellationToken);

    /// <summary>
    /// Imports a key (a new version when the name exists): a JWK with its private part (RSA or EC), or a BYOK transfer
    /// blob (<see cref="JsonWebKey.FromByok"/>, <c>kty</c> RSA-HSM or EC-HSM). <paramref name="hardwareProtected"/>
    /// true asks for an HSM-protected key (premium vaults only). The material is on the wire only inside this call and
    /// never in an exception.
    /// </summary>
    public async Task<KeyVaultKey> ImportKeyAsync(string name, JsonWebKey key, bool? hardwareProtected = null,
        IReadOnlyDictionary<string, string>? tags = null,
        bool? enabled = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeyHsm is not null)
        {
            return KeyMapper.Key(await byok.ImportAsync(name, ByokBody(key, hardwareProtected, tags, enabled),
                cancellationToken));
        }

        var options = new Sdk.ImportKeyOptions(name, KeyMapper.ToSdk(key)) { HardwareProtected = hardwareProtected };
        options.Properties.Enabled = enabled;
        foreach (var (tag, value) in tags ?? new Dictionary<string, string>())
        {
            options.Properties.Tags[tag] = value;
        }

        return KeyMapper.Key((await client.ImportKeyAsync(options, cancellationToken)).Value);
    }

    public async Task<KeyVaultKey> GetKeyAsync(string name, string? version = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return KeyMapper.Key((await client.GetKeyAsync(name, version, cancellationToken)).Value);
    }

    public async Task<IReadOnlyList<KeyProperties>> GetPropertiesOfKeysAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<KeyProperties>();
        await foreach (var properties in client.GetPropertiesOfKeysAsync(cancellationToken))
        {
            result.Add(KeyMapper.Properties(properties));
        }

        return result;
    }

    public async Task<IReadOnlyList<KeyProperties>> GetPropertiesOfKeyVersionsAsync(string name,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var result = new List<KeyProperties>();
        await foreach (var properties in client.GetPropertiesOfKeyVersionsAsync(name, cancellationToken))
        {
            result.Add(KeyMapper.Properties(properties));
        }

        return result;
    }

    /// <summary>
    /// Updates a version (the latest when <paramref name="version"/> is null): enabled, permitted operations, tags
    /// (replacing them all; null leaves them), validity. Null leaves a property as it is.
    /// </summary>
    public async Task<KeyVaultKey> UpdateKeyPropertiesAsync(string name, string? version = null, bool? enabled = null,
        IEnumerable<string>? keyOperations = null,
        IReadOnlyDictionary<string, string>? tags = null, DateTimeOffset? notBefore = null,
        DateTimeOffset? expiresOn = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var properties = version is null
            ? new Sdk.KeyProperties(name)
            : new Sdk.KeyProperties(new Uri(VaultUri,
                $"keys/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(version)}"));
        properties.Enabled = enabled;
        properties.NotBefore = notBefore;
        properties.ExpiresOn = expiresOn;
        foreach (var (tag, value) in tags ?? new Dictionary<string, string>())
        {
            properties.Tags[tag] = value;
        }

        return KeyMapper.Key((await client.UpdateKeyPropertiesAsync(properties,
            keyOperations?.Select(o => new Sdk.KeyOperation(o)), cancellationToken)).Value);
    }

    /// <summary>
    /// Deletes a key (soft): all its versions move to the deleted state. Answers once the vault accepted it, without
    /// waiting.
    /// </summary>
    public async Task<DeletedKey> DeleteKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return KeyMapper.Deleted((await client.StartDeleteKeyAsync(name, cancellationToken)).Value);
    }

    public async Task<DeletedKey> GetDeletedKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return KeyMapper.Deleted((await client.GetDeletedKeyAsync(name, cancellationToken)).Value);
    }

    /// <summary>Recovers a deleted key. Answers once the vault accepted it, without waiting.</summary>
    public async Task<KeyVaultKey> RecoverDeletedKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return KeyMapper.Key((await client.StartRecoverDeletedKeyAsync(name, cancellationToken)).Value);
    }

    public async Task PurgeDeletedKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await client.PurgeDeletedKeyAsync(name, cancellationToken);
    }

    /// <summary>
    /// Cryptographic operations with one key version (the latest when <paramref name="version"/> is null).
    /// </summary>
    public KeyCryptographyClient GetCryptographyClient(string name, string? version = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new KeyCryptographyClient(client.GetCryptographyClient(name, version));
    }

    private static void Fill(Sdk.CreateKeyOptions options, IEnumerable<string>? keyOperations,
        IReadOnlyDictionary<string, string>? tags)
    {
        foreach (var operation in keyOperations ?? [])
        {
            options.KeyOperations.Add(new Sdk.KeyOperation(operation));
        }

        foreach (var (tag, value) in tags ?? new Dictionary<string, string>())
        {
            options.Tags[tag] = value;
        }
    }

    private static JsonObject ByokBody(JsonWebKey key, bool? hardwareProtected,
        IReadOnlyDictionary<string, string>? tags, bool? enabled)
    {
        var body = new JsonObject { ["key"] = key.ToJson(), ["tags"] = JsonRead.TagsObject(tags) };
        if (hardwareProtected is not null)
        {
            body["hsm"] = hardwareProtected.Value;
        }

        if (enabled is not null)
        {
            body["attributes"] = new JsonObject { ["enabled"] = enabled.Value };
        }

        return body;
    }
}
