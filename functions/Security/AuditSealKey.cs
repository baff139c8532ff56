using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeKv.Records;
using EdgeKv.Records.Keys;
using EdgeKv.Records.Tables;

namespace EdgeKv.Functions.Security;

/// <summary>
/// The key of the audit trail's HMAC chain: 32 random bytes that exist at rest only as an envelope of the <see
/// cref="KeyEncryptionKey"/> (the local key file, or the vault key in Azure), bound to this use. Whoever can write the
/// audit store (security.db, or the storage account's tables) can read that envelope but not open it, so cannot re-seal
/// a rewritten record; replacing the envelope changes the key, and every record sealed before no longer verifies. The
/// envelope lives beside the key-encryption key locally (<c>audit-seal.key</c>, owner-only) or in the shared account's
/// <c>secrets</c> container, created once by the first host. When a trail that already held records sealed the earlier
/// way (plain SHA-256, which anyone can recompute) is upgraded on purpose, the envelope also holds the sequence and
/// hash of that trail's last record (its anchor), so those records can be neither rewritten nor removed unseen.
/// </summary>
public sealed class AuditSealKey
{
    public const string Context = "edgekv:audit-trail:seal-key";
    private const int KeySize = 32;
    private readonly KeyEncryptionKey kek;
    private readonly Func<Func<Task<byte[]>>, CancellationToken, Task<byte[]>> loadOrCreate;
    private readonly SemaphoreSlim gate = new(1, 1);
    private AuditSeal? opened;

    private AuditSealKey(KeyEncryptionKey kek, Func<Func<Task<byte[]>>, CancellationToken, Task<byte[]>> loadOrCreate)
    {
        ArgumentNullException.ThrowIfNull(kek);
        this.kek = kek;
        this.loadOrCreate = loadOrCreate;
    }

    /// <summary>The envelope in an owner-only file (one host, or hosts sharing a data path).</summary>
    public static AuditSealKey InFile(KeyEncryptionKey kek, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new AuditSealKey(kek, async (create, ct) =>
        {
            if (!File.Exists(path))
            {
                byte[] envelope = await create();
                try
                {
                    OwnerOnlyFiles.WriteAllBytes(path, envelope, overwrite: false);
                    return envelope;
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process wrote it first: use that one.
                }
            }

            return await File.ReadAllBytesAsync(path, ct);
        });
    }

    /// <summary>
    /// The envelope as a blob of the shared account, created with If-None-Match: * so every host uses one key.
    /// </summary>
    public static AuditSealKey InSharedStore(KeyEncryptionKey kek, SharedStoreAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AuditSealKey(kek, async (create, ct) =>
        {
            BlobClient blob = account.Container("secrets").GetBlobClient("audit-seal.envelope");
            if (!await blob.ExistsAsync(ct))
            {
                byte[] envelope = await create();
                try
                {
                    await blob.UploadAsync(BinaryData.FromBytes(envelope),
                        new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                        ct);
                    return envelope;
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    // Another host created it first: use that one.
                }
            }

            return (await blob.DownloadContentAsync(ct)).Value.Content.ToArray();
        });
    }

    /// <summary>
    /// The key and the anchor of the records sealed before it, opened once per process; <paramref name="anchor"/> is
    /// asked only when the key is made. Throws <see cref="CryptographicException"/> when the envelope does not open.
    /// </summary>
    public async Task<AuditSeal> GetAsync(Func<CancellationToken, Task<(long Sequence,
        string Hash)>> anchor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        if (Volatile.Read(ref opened) is { } known) return known;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (opened is null)
            {
                byte[] envelope = await loadOrCreate(async () =>
                {
                    (long sequence, string hash) = await anchor(cancellationToken);
                    byte[] plain = new byte[KeySize + 8 + Encoding.ASCII.GetByteCount(hash)];
                    RandomNumberGenerator.Fill(plain.AsSpan(0, KeySize));
                    BinaryPrimitives.WriteInt64BigEndian(plain.AsSpan(KeySize), sequence);
                    Encoding.ASCII.GetBytes(hash, plain.AsSpan(KeySize + 8));
                    try
                    {
                        return await kek.ProtectAsync(plain, Context, cancellationToken);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(plain);
                    }
                }, cancellationToken);
                byte[] content = await kek.UnprotectAsync(envelope, Context, cancellationToken);
                if (content.Length < KeySize + 8) throw new CryptographicException("The audit seal key's envelope is not one EdgeKv wrote.");
                Volatile.Write(ref opened,
                    new AuditSeal(content[..KeySize], BinaryPrimitives.ReadInt64BigEndian(content.AsSpan(KeySize)),
                    Encoding.ASCII.GetString(content, KeySize + 8, content.Length - KeySize - 8)));
                CryptographicOperations.ZeroMemory(content);
            }

            return opened!;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>
/// The opened seal: the HMAC key, and the last record sealed before it (sequence 0 and the genesis hash for a trail
/// that was empty), whose plain SHA-256 chain the anchor vouches for.
/// </summary>
public sealed record AuditSeal(byte[] Key, long AnchorSequence, string AnchorHash);
