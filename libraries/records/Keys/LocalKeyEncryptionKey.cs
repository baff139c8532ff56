using System.Security.Cryptography;
using System.Text;

namespace EdgeKv.Records.Keys;

/// <summary>
/// The local key-encryption key: 32 random bytes in a file under the data path, created owner-only on first use.
/// Envelopes are AES-256-GCM: a format byte, a random 12-byte nonce, the 16-byte tag, the ciphertext; the context is
/// the associated data.
/// </summary>
public sealed class LocalKeyEncryptionKey : KeyEncryptionKey
{
    public const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lazy<byte[]> key;

    public LocalKeyEncryptionKey(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        key = new Lazy<byte[]>(LoadOrCreate);
    }

    public string Path { get; }

    public override Task<byte[]> ProtectAsync(ReadOnlyMemory<byte> plaintext, string context,
        CancellationToken cancellationToken = default)
    {
        byte[] envelope = new byte[1 + NonceSize + TagSize + plaintext.Length];
        envelope[0] = Format;
        Span<byte> nonce = envelope.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Value, TagSize);
        aes.Encrypt(nonce, plaintext.Span, envelope.AsSpan(1 + NonceSize + TagSize),
            envelope.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return Task.FromResult(envelope);
    }

    public override Task<byte[]> UnprotectAsync(ReadOnlyMemory<byte> envelope, string context,
        CancellationToken cancellationToken = default)
    {
        ReadOnlySpan<byte> span = envelope.Span;
        if (span.Length < 1 + NonceSize + TagSize || span[0] != Format) throw new CryptographicException("Not an envelope of the local key-encryption key.");
        byte[] plaintext = new byte[span.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(key.Value, TagSize);
        aes.Decrypt(span.Slice(1, NonceSize), span[(1 + NonceSize + TagSize)..], span.Slice(1 + NonceSize, TagSize),
            plaintext, Encoding.UTF8.GetBytes(context));
        return Task.FromResult(plaintext);
    }

    private byte[] LoadOrCreate()
    {
        if (!File.Exists(Path))
        {
            byte[] fresh = RandomNumberGenerator.GetBytes(32);
            try
            {
                OwnerOnlyFiles.WriteAllBytes(Path, fresh, overwrite: false);
            }
            catch (IOException) when (File.Exists(Path))
            {
                // Another process wrote it first: use that one.
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fresh);
            }
        }

        byte[] stored = File.ReadAllBytes(Path);
        if (stored.Length != 32) throw new CryptographicException($"The key-encryption key file '{Path}' is not 32 bytes.");
        return stored;
    }
}
