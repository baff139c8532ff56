using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeKv.Device;

/// <summary>
/// The device's data folder. <c>device.json</c> holds what is not secret (resource, endpoint); <c>secrets.bin</c> holds
/// the device credential, the CIK and the device secrets, encrypted at rest with AES-256-GCM under a key derived
/// (HKDF-SHA256, info "edgekv-device-store/v1") from <c>machine.key</c>: 32 random bytes created on first use, readable
/// by the owner only. On a real device the machine secret comes from its TPM; the file stands in for it.
/// </summary>
internal sealed class DeviceStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Folder => folder;

    public DeviceIdentity? ReadIdentity() =>
        File.Exists(Path.Combine(folder,
            "device.json")) ? JsonSerializer.Deserialize<DeviceIdentity>(File.ReadAllText(Path.Combine(folder,
                "device.json")), Json) : null;

    public void WriteIdentity(DeviceIdentity identity) => WriteFile("device.json",
        JsonSerializer.SerializeToUtf8Bytes(identity, Json));

    public DeviceSecrets? ReadSecrets()
    {
        string path = Path.Combine(folder, "secrets.bin");
        if (!File.Exists(path)) return null;
        byte[] blob = File.ReadAllBytes(path);
        byte[] nonce = blob[..12], tag = blob[12..28], ciphertext = blob[28..];
        byte[] plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(StoreKey(), 16)) aes.Decrypt(nonce, ciphertext, tag, plaintext,
            Encoding.ASCII.GetBytes("secrets.bin"));
        try
        {
            return JsonSerializer.Deserialize<DeviceSecrets>(plaintext, Json);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public void WriteSecrets(DeviceSecrets secrets)
    {
        byte[] plaintext = JsonSerializer.SerializeToUtf8Bytes(secrets, Json);
        byte[] nonce = RandomNumberGenerator.GetBytes(12), tag = new byte[16], ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(StoreKey(), 16)) aes.Encrypt(nonce, plaintext, ciphertext, tag,
            Encoding.ASCII.GetBytes("secrets.bin"));
        CryptographicOperations.ZeroMemory(plaintext);
        WriteFile("secrets.bin", [.. nonce, .. tag, .. ciphertext]);
    }

    private byte[] StoreKey()
    {
        string path = Path.Combine(folder, "machine.key");
        if (!File.Exists(path)) WriteFile("machine.key", RandomNumberGenerator.GetBytes(32));
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, File.ReadAllBytes(path), 32,
            info: Encoding.ASCII.GetBytes("edgekv-device-store/v1"));
    }

    private void WriteFile(string name, byte[] content)
    {
        // Owner-only from creation: the folder and files hold the device's credential and its store key.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else if (!Directory.Exists(folder)) Directory.CreateDirectory(folder,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string path = Path.Combine(folder, name), temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options)) stream.Write(content);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>Who the device is: its resource and the EdgeKv endpoint it talks to.</summary>
internal sealed record DeviceIdentity(string ResourceName, string ResourceId, string ServiceEndpoint,
    DateTimeOffset ActivatedAt);

/// <summary>The device's secrets, only ever on disk encrypted.</summary>
internal sealed record DeviceSecrets(string DeviceCredential, string ChannelIntegrityKey,
    string ChannelIntegrityKeyVersion, string? BitLockerRecoveryKey = null,
    string? BmcUserPassword = null);
