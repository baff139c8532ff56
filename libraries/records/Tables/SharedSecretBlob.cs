using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace EdgeKv.Records.Tables;

/// <summary>
/// A random key every host must hold the same copy of (the activation-key signing key), as a blob in the shared
/// account's <c>secrets</c> container. The first host to start creates it with If-None-Match: *, so two hosts starting
/// together never make two keys; every other host reads the winner's. Access to it is access to the storage account's
/// data.
/// </summary>
public static class SharedSecretBlob
{
    public static byte[] LoadOrCreate(SharedStoreAccount account, string name, int length = 32)
    {
        ArgumentNullException.ThrowIfNull(account);
        BlobClient blob = account.Container("secrets").GetBlobClient(name);
        byte[] key = RandomNumberGenerator.GetBytes(length);
        try
        {
            blob.Upload(BinaryData.FromString(Convert.ToBase64String(key)),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } });
            return key;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return Convert.FromBase64String(blob.DownloadContent().Value.Content.ToString().Trim()); // another host created it first
        }
    }
}
