using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeKv.Records;
using EdgeKv.Records.Keys;
using EdgeKv.Records.Shared;

namespace EdgeKv.Functions.Security;

/// <summary>
/// The key of the audit trail's HMAC chain: 32 random bytes that exist at rest only as an envelope of the
/// <see cref="KeyEncryptionKey"/> (the local key file, or the vault key in Azure), bound to this use. Whoever can write the
/// audit store (security.db, or the storage account's tables) can read that envelope but not open it, so cannot
/// re-seal a rewritten record; replacing the envelope changes the key, and every record sealed before no longer
/// verifies. The envelope lives beside the key-encryption key locally (<c>audit-seal.key</c>, owner-only) or in the
/// shared account's <c>secrets</c> container, created once by the first host.
/// </summary>
public sealed class AuditSealKey
{
    public const string Context = "edgekv:audit-trail:seal-key";
    private readonly KeyEncryptionKey kek;
    private readonly Func<Func<Task<byte[]>>, CancellationToken, Task<byte[]>> loadOrCreate;
    private readonly SemaphoreSlim gate = new(1, 1);
    private byte[]? key;

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

    /// <summary>The envelope as a blob of the shared account, created with If-None-Match: * so every host uses one key.</summary>
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
                        new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
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

    /// <summary>The key, opened once per process; throws <see cref="CryptographicException"/> when the envelope does not open.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref key) is { } known) return known;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (key is null)
            {
                byte[] envelope = await loadOrCreate(async () =>
                {
                    byte[] fresh = RandomNumberGenerator.GetBytes(32);
                    try
                    {
                        return await kek.ProtectAsync(fresh, Context, cancellationToken);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(fresh);
                    }
                }, cancellationToken);
                Volatile.Write(ref key, await kek.UnprotectAsync(envelope, Context, cancellationToken));
            }

            return key!;
        }
        finally
        {
            gate.Release();
        }
    }
}
