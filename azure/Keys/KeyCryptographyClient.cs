using System.Text.Json.Nodes;
using global::Azure.Core;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Cryptographic operations performed by Key Vault with one key, shaped like <c>CryptographyClient</c>: every
/// operation runs in the vault (the private key never leaves it) and is refused when the key's <c>key_ops</c> lacks it.
/// </summary>
public sealed class KeyCryptographyClient
{
    private readonly DataPlaneRestClient rest;
    private readonly string keyPath;

    internal KeyCryptographyClient(DataPlaneRestClient rest, string keyPath)
    {
        this.rest = rest;
        this.keyPath = keyPath;
    }

    public Task<KeyOperationResult> EncryptAsync(string algorithm, byte[] plaintext, CancellationToken cancellationToken = default) =>
        RunAsync("encrypt", algorithm, plaintext, cancellationToken);

    public Task<KeyOperationResult> DecryptAsync(string algorithm, byte[] ciphertext, CancellationToken cancellationToken = default) =>
        RunAsync("decrypt", algorithm, ciphertext, cancellationToken);

    public Task<KeyOperationResult> WrapKeyAsync(string algorithm, byte[] key, CancellationToken cancellationToken = default) =>
        RunAsync("wrapkey", algorithm, key, cancellationToken);

    public Task<KeyOperationResult> UnwrapKeyAsync(string algorithm, byte[] encryptedKey, CancellationToken cancellationToken = default) =>
        RunAsync("unwrapkey", algorithm, encryptedKey, cancellationToken);

    /// <summary>Signs a digest (for RS256, the SHA-256 hash of the data).</summary>
    public Task<KeyOperationResult> SignAsync(string algorithm, byte[] digest, CancellationToken cancellationToken = default) =>
        RunAsync("sign", algorithm, digest, cancellationToken);

    public async Task<bool> VerifyAsync(string algorithm, byte[] digest, byte[] signature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(signature);
        var body = new JsonObject { ["alg"] = algorithm, ["digest"] = KeyMapper.Encode(digest), ["value"] = KeyMapper.Encode(signature) };
        var result = await rest.SendAsync(RequestMethod.Post, $"{keyPath}/verify", body, cancellationToken);
        return (bool?)result?["value"] == true;
    }

    private async Task<KeyOperationResult> RunAsync(string operation, string algorithm, byte[] value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        ArgumentNullException.ThrowIfNull(value);
        var body = new JsonObject { ["alg"] = algorithm, ["value"] = KeyMapper.Encode(value) };
        var result = (await rest.SendAsync(RequestMethod.Post, $"{keyPath}/{operation}", body, cancellationToken))!;
        return new KeyOperationResult(new Uri((string)result["kid"]!), algorithm, KeyMapper.Decode((string)result["value"]!));
    }
}
