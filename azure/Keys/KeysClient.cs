using System.Security.Cryptography;
using System.Text.Json.Nodes;
using global::Azure.Core;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Key Vault keys over REST, shaped like <c>Azure.Security.KeyVault.Keys.KeyClient</c> (which the package feed does not
/// hold): create RSA and EC keys (software or HSM), import JWKs and BYOK transfer blobs, get, list, update, delete, recover, purge; <see cref="GetCryptographyClient"/> for the
/// cryptographic operations. Errors are <see cref="global::Azure.RequestFailedException"/> with Key Vault's error code.
/// </summary>
public sealed class KeysClient
{
    /// <summary>Key Vault's token scope in the public cloud; other clouds set <see cref="KeysClientOptions.Scope"/>.</summary>
    public const string Scope = "https://vault.azure.net/.default";
    private readonly DataPlaneRestClient rest;

    public KeysClient(Uri vaultUri, TokenCredential credential, KeysClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new KeysClientOptions();
        VaultUri = vaultUri.AbsoluteUri.EndsWith('/') ? vaultUri : new Uri(vaultUri.AbsoluteUri + "/");
        rest = new DataPlaneRestClient(DataPlaneRestClient.BuildPipeline(options, credential, options.Scope), VaultUri, options.ApiVersion);
    }

    public Uri VaultUri { get; }

    /// <summary>Creates an RSA key, or a new version of it (rotation). <paramref name="keyOperations"/> null permits all RSA operations.</summary>
    public async Task<KeyVaultKey> CreateRsaKeyAsync(string name, int keySize = 2048, IEnumerable<string>? keyOperations = null, bool hardwareProtected = false,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new JsonObject { ["kty"] = hardwareProtected ? "RSA-HSM" : "RSA", ["key_size"] = keySize, ["tags"] = JsonRead.TagsObject(tags) };
        if (keyOperations is not null)
        {
            body["key_ops"] = JsonRead.Array(keyOperations);
        }

        return KeyMapper.Key((await rest.SendAsync(RequestMethod.Post, $"keys/{Uri.EscapeDataString(name)}/create", body, cancellationToken))!);
    }

    /// <summary>Imports an RSA key with its private part (as a JSON Web Key), or a new version of it.</summary>
    public async Task<KeyVaultKey> ImportRsaKeyAsync(string name, RSA key, IEnumerable<string> keyOperations, bool hardwareProtected = false,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(key);
        var p = key.ExportParameters(includePrivateParameters: true);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA", ["key_ops"] = JsonRead.Array(keyOperations),
            ["n"] = KeyMapper.Encode(p.Modulus!), ["e"] = KeyMapper.Encode(p.Exponent!), ["d"] = KeyMapper.Encode(p.D!),
            ["p"] = KeyMapper.Encode(p.P!), ["q"] = KeyMapper.Encode(p.Q!), ["dp"] = KeyMapper.Encode(p.DP!),
            ["dq"] = KeyMapper.Encode(p.DQ!), ["qi"] = KeyMapper.Encode(p.InverseQ!),
        };
        var body = new JsonObject { ["key"] = jwk, ["hsm"] = hardwareProtected, ["tags"] = JsonRead.TagsObject(tags) };
        return KeyMapper.Key((await rest.SendAsync(RequestMethod.Put, $"keys/{Uri.EscapeDataString(name)}", body, cancellationToken))!);
    }

    /// <summary>
    /// Creates an EC key on <paramref name="curve"/> (P-256, P-384, P-521), or a new version of it. <paramref name="keyOperations"/>
    /// null permits sign and verify; <paramref name="hardwareProtected"/> makes an EC-HSM key (premium vaults only).
    /// </summary>
    public async Task<KeyVaultKey> CreateEcKeyAsync(string name, string curve = KeyCurveNames.P256, IEnumerable<string>? keyOperations = null,
        bool hardwareProtected = false, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(curve);
        var body = new JsonObject { ["kty"] = hardwareProtected ? KeyTypes.EcHsm : KeyTypes.Ec, ["crv"] = curve, ["tags"] = JsonRead.TagsObject(tags) };
        if (keyOperations is not null)
        {
            body["key_ops"] = JsonRead.Array(keyOperations);
        }

        return KeyMapper.Key((await rest.SendAsync(RequestMethod.Post, $"keys/{Uri.EscapeDataString(name)}/create", body, cancellationToken))!);
    }

    /// <summary>
    /// Creates a Key Exchange Key for Bring Your Own Key: an RSA-HSM key (premium vaults only) whose only operation is
    /// <c>import</c>. Wrap keys for it with <see cref="ByokTransferBlob"/> and import them with <see cref="ImportKeyAsync"/>.
    /// </summary>
    public Task<KeyVaultKey> CreateKeyExchangeKeyAsync(string name, CancellationToken cancellationToken = default) =>
        CreateKeyExchangeKeyAsync(name, 2048, cancellationToken);

    /// <summary>Creates a Key Exchange Key of <paramref name="keySize"/> bits (2048, 3072 or 4096).</summary>
    public Task<KeyVaultKey> CreateKeyExchangeKeyAsync(string name, int keySize, CancellationToken cancellationToken = default) =>
        CreateRsaKeyAsync(name, keySize, [KeyOperations.Import], hardwareProtected: true, cancellationToken: cancellationToken);

    /// <summary>
    /// Imports a key (a new version when the name exists): a JWK with its private part (RSA or EC), or a BYOK transfer blob
    /// (<see cref="JsonWebKey.FromByok"/>, <c>kty</c> RSA-HSM or EC-HSM). <paramref name="hardwareProtected"/> true asks for an
    /// HSM-protected key (premium vaults only). The material is on the wire only inside this call and never in an exception.
    /// </summary>
    public async Task<KeyVaultKey> ImportKeyAsync(string name, JsonWebKey key, bool? hardwareProtected = null, IReadOnlyDictionary<string, string>? tags = null,
        bool? enabled = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(key);
        var body = new JsonObject { ["key"] = key.ToJson(), ["tags"] = JsonRead.TagsObject(tags) };
        if (hardwareProtected is not null)
        {
            body["hsm"] = hardwareProtected.Value;
        }

        if (enabled is not null)
        {
            body["attributes"] = KeyMapper.Attributes(enabled, null, null);
        }

        return KeyMapper.Key((await rest.SendAsync(RequestMethod.Put, $"keys/{Uri.EscapeDataString(name)}", body, cancellationToken))!);
    }

    public async Task<KeyVaultKey> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        KeyMapper.Key((await rest.SendAsync(RequestMethod.Get, KeyPath(name, version), null, cancellationToken))!);

    public async Task<IReadOnlyList<KeyProperties>> GetPropertiesOfKeysAsync(CancellationToken cancellationToken = default) =>
        (await rest.ListAsync("keys", cancellationToken)).Select(i => KeyMapper.Properties(i, (string)i["kid"]!)).ToList();

    public async Task<IReadOnlyList<KeyProperties>> GetPropertiesOfKeyVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        (await rest.ListAsync($"keys/{Uri.EscapeDataString(name)}/versions", cancellationToken)).Select(i => KeyMapper.Properties(i, (string)i["kid"]!)).ToList();

    /// <summary>
    /// Updates a version (the latest when <paramref name="version"/> is null): enabled, permitted operations, tags (replacing
    /// them all; null leaves them), validity. Null leaves a property as it is.
    /// </summary>
    public async Task<KeyVaultKey> UpdateKeyPropertiesAsync(string name, string? version = null, bool? enabled = null, IEnumerable<string>? keyOperations = null,
        IReadOnlyDictionary<string, string>? tags = null, DateTimeOffset? notBefore = null, DateTimeOffset? expiresOn = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["attributes"] = KeyMapper.Attributes(enabled, notBefore, expiresOn) };
        if (keyOperations is not null)
        {
            body["key_ops"] = JsonRead.Array(keyOperations);
        }

        if (tags is not null)
        {
            body["tags"] = JsonRead.TagsObject(tags);
        }

        return KeyMapper.Key((await rest.SendAsync(RequestMethod.Patch, KeyPath(name, version ?? string.Empty), body, cancellationToken))!);
    }

    /// <summary>Deletes a key (soft): all its versions move to the deleted state.</summary>
    public async Task<DeletedKey> DeleteKeyAsync(string name, CancellationToken cancellationToken = default) =>
        KeyMapper.Deleted((await rest.SendAsync(RequestMethod.Delete, $"keys/{Uri.EscapeDataString(name)}", null, cancellationToken))!);

    public async Task<DeletedKey> GetDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        KeyMapper.Deleted((await rest.SendAsync(RequestMethod.Get, $"deletedkeys/{Uri.EscapeDataString(name)}", null, cancellationToken))!);

    public async Task<KeyVaultKey> RecoverDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        KeyMapper.Key((await rest.SendAsync(RequestMethod.Post, $"deletedkeys/{Uri.EscapeDataString(name)}/recover", null, cancellationToken))!);

    public async Task PurgeDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        await rest.SendAsync(RequestMethod.Delete, $"deletedkeys/{Uri.EscapeDataString(name)}", null, cancellationToken);

    /// <summary>Cryptographic operations with one key version (the latest when <paramref name="version"/> is null).</summary>
    public KeyCryptographyClient GetCryptographyClient(string name, string? version = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new KeyCryptographyClient(rest, KeyPath(name, version));
    }

    private static string KeyPath(string name, string? version)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return version is null ? $"keys/{Uri.EscapeDataString(name)}" : $"keys/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(version)}";
    }
}
