using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeKv.Azure.Keys;
using EdgeKv.Records.Keys;

namespace EdgeKv.Activities.Keys;

/// <summary>
/// The key-encryption key against real Azure: a key in a vault EdgeKv names in configuration wraps (RSA-OAEP-256) a
/// fresh 256-bit data key per envelope, and the data key encrypts the plaintext (AES-256-GCM, the context as associated
/// data). The envelope records the wrapping key version, so the vault key can be rotated without re-encrypting EdgeKv's
/// store.
/// Envelope: format byte 2, kid length (2 bytes) and kid, wrapped key length (2 bytes) and wrapped key, nonce, tag,
/// ciphertext.
/// </summary>
public sealed class VaultKeyEncryptionKey(Func<CancellationToken, Task<KeysClient>> keys, string keyName) : KeyEncryptionKey
{
    public const byte Format = 2;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public override async Task<byte[]> ProtectAsync(ReadOnlyMemory<byte> plaintext, string context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        KeysClient client = await keys(cancellationToken);
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            KeyOperationResult wrapped = await client.GetCryptographyClient(keyName).WrapKeyAsync(KeyAlgorithms.RsaOaep256, dataKey, cancellationToken);
            byte[] kid = Encoding.UTF8.GetBytes(wrapped.KeyId.AbsoluteUri);
            int header = 1 + 2 + kid.Length + 2 + wrapped.Value.Length;
            byte[] envelope = new byte[header + NonceSize + TagSize + plaintext.Length];
            envelope[0] = Format;
            BinaryPrimitives.WriteUInt16BigEndian(envelope.AsSpan(1), checked((ushort)kid.Length));
            kid.CopyTo(envelope, 3);
            BinaryPrimitives.WriteUInt16BigEndian(envelope.AsSpan(3 + kid.Length),
                checked((ushort)wrapped.Value.Length));
            wrapped.Value.CopyTo(envelope, 5 + kid.Length);
            Span<byte> nonce = envelope.AsSpan(header, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(dataKey, TagSize);
            aes.Encrypt(nonce, plaintext.Span, envelope.AsSpan(header + NonceSize + TagSize),
                envelope.AsSpan(header + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
            return envelope;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public override async Task<byte[]> UnprotectAsync(ReadOnlyMemory<byte> envelope, string context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        byte[] e = envelope.ToArray();
        if (e.Length < 5 || e[0] != Format) throw new CryptographicException("Not an envelope of the vault key-encryption key.");
        int kidLength = BinaryPrimitives.ReadUInt16BigEndian(e.AsSpan(1));
        if (e.Length < 5 + kidLength) throw new CryptographicException("The envelope is truncated.");
        var kid = new Uri(Encoding.UTF8.GetString(e, 3, kidLength));
        int wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(e.AsSpan(3 + kidLength));
        int header = 5 + kidLength + wrappedLength;
        if (e.Length < header + NonceSize + TagSize) throw new CryptographicException("The envelope is truncated.");
        string[] segments = kid.AbsolutePath.TrimEnd('/').Split('/');
        string version = segments[^1];
        KeysClient client = await keys(cancellationToken);
        KeyOperationResult unwrapped = await client.GetCryptographyClient(keyName,
            version).UnwrapKeyAsync(KeyAlgorithms.RsaOaep256, e[(5 + kidLength)..header], cancellationToken);
        try
        {
            byte[] plaintext = new byte[e.Length - header - NonceSize - TagSize];
            using var aes = new AesGcm(unwrapped.Value, TagSize);
            aes.Decrypt(e.AsSpan(header, NonceSize), e.AsSpan(header + NonceSize + TagSize),
                e.AsSpan(header + NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(context));
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unwrapped.Value);
        }
    }
}
