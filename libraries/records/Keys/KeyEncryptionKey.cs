namespace EdgeKv.Records.Keys;

/// <summary>
/// What protects key material and provider credentials at rest: an envelope in, an envelope out, bound to a context
/// (the row it belongs to) so an envelope moved to another row does not open. Locally a key file under the data path
/// (<see cref="LocalKeyEncryptionKey"/>); against real Azure, a key in a vault that wraps a per-envelope data key.
/// </summary>
public abstract class KeyEncryptionKey
{
    /// <summary>Encrypts <paramref name="plaintext"/> for the row named by <paramref name="context"/>.</summary>
    public abstract Task<byte[]> ProtectAsync(ReadOnlyMemory<byte> plaintext, string context,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Decrypts an envelope of <see cref="ProtectAsync"/>; throws <see
    /// cref="System.Security.Cryptography.CryptographicException"/> when it was altered or moved.
    /// </summary>
    public abstract Task<byte[]> UnprotectAsync(ReadOnlyMemory<byte> envelope, string context,
        CancellationToken cancellationToken = default);
}
