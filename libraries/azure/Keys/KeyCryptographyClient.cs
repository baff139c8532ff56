using global::Azure.Security.KeyVault.Keys.Cryptography;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Cryptographic operations with one key over the SDK's <see cref="CryptographyClient"/>. The private key never leaves
/// the vault; the SDK may do public-key operations (encrypt, wrap, verify) locally once it has read the key, and sends
/// everything else, or anything the key's <c>key_ops</c> lacks, to the vault, which refuses what the key does not
/// permit.
/// </summary>
public sealed class KeyCryptographyClient
{
    private readonly CryptographyClient client;

    internal KeyCryptographyClient(CryptographyClient client) => this.client = client;

    public async Task<KeyOperationResult> EncryptAsync(string algorithm, byte[] plaintext,
        CancellationToken cancellationToken = default)
    {
        var result = await client.EncryptAsync(new EncryptionAlgorithm(Check(algorithm)), plaintext, cancellationToken);
        return new KeyOperationResult(new Uri(result.KeyId), algorithm, result.Ciphertext);
    }

    public async Task<KeyOperationResult> DecryptAsync(string algorithm, byte[] ciphertext,
        CancellationToken cancellationToken = default)
    {
        var result = await client.DecryptAsync(new EncryptionAlgorithm(Check(algorithm)), ciphertext,
            cancellationToken);
        return new KeyOperationResult(new Uri(result.KeyId), algorithm, result.Plaintext);
    }

    public async Task<KeyOperationResult> WrapKeyAsync(string algorithm, byte[] key,
        CancellationToken cancellationToken = default)
    {
        var result = await client.WrapKeyAsync(new KeyWrapAlgorithm(Check(algorithm)), key, cancellationToken);
        return new KeyOperationResult(new Uri(result.KeyId), algorithm, result.EncryptedKey);
    }

    public async Task<KeyOperationResult> UnwrapKeyAsync(string algorithm, byte[] encryptedKey,
        CancellationToken cancellationToken = default)
    {
        var result = await client.UnwrapKeyAsync(new KeyWrapAlgorithm(Check(algorithm)), encryptedKey,
            cancellationToken);
        return new KeyOperationResult(new Uri(result.KeyId), algorithm, result.Key);
    }

    /// <summary>Signs a digest (for RS256, the SHA-256 hash of the data).</summary>
    public async Task<KeyOperationResult> SignAsync(string algorithm, byte[] digest,
        CancellationToken cancellationToken = default)
    {
        var result = await client.SignAsync(new SignatureAlgorithm(Check(algorithm)), digest, cancellationToken);
        return new KeyOperationResult(new Uri(result.KeyId), algorithm, result.Signature);
    }

    public async Task<bool> VerifyAsync(string algorithm, byte[] digest, byte[] signature,
        CancellationToken cancellationToken = default) =>
        (await client.VerifyAsync(new SignatureAlgorithm(Check(algorithm)), digest, signature,
            cancellationToken)).IsValid;

    private static string Check(string algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        return algorithm;
    }
}
