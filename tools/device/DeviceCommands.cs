using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeKv.Device;

/// <summary>What the agent's commands do; Program.cs only parses arguments.</summary>
internal static class DeviceCommands
{
    public static async Task<string> ActivateAsync(DeviceStore store, string key, Uri? endpoint, CancellationToken ct)
    {
        (string resource, string serviceEndpoint) = ReadKeyHeader(key);
        Uri service = endpoint ?? new Uri(serviceEndpoint.TrimEnd('/') + "/");
        using var client = new EdgeKvServiceClient(service);
        JsonElement answer = await client.PostAsync("api/device/activate", new { activationKey = key }, ct);
        DeviceSecrets? previous = store.ReadSecrets();
        store.WriteSecrets(new DeviceSecrets(
            answer.GetProperty("deviceCredential").GetString()!,
            answer.GetProperty("channelIntegrityKey").GetString()!,
            answer.GetProperty("channelIntegrityKeyVersion").GetString()!,
            previous?.BitLockerRecoveryKey,
            previous?.BmcUserPassword));
        store.WriteIdentity(new DeviceIdentity(answer.GetProperty("resourceName").GetString()!,
            answer.GetProperty("resourceId").GetString()!, service.ToString(), DateTimeOffset.UtcNow));
        return $"Activated: this device is '{resource}'; its credential and channel integrity key are stored encrypted in {store.Folder}.";
    }

    public static async Task<string> PushSecretsAsync(DeviceStore store, CancellationToken ct)
    {
        (DeviceIdentity identity, DeviceSecrets secrets) = Require(store);
        if (secrets.BitLockerRecoveryKey is null || secrets.BmcUserPassword is null)
        {
            secrets = secrets with { BitLockerRecoveryKey = NewBitLockerRecoveryKey(),
                BmcUserPassword = NewBmcPassword() };
            store.WriteSecrets(secrets);
        }

        using var client = new EdgeKvServiceClient(new Uri(identity.ServiceEndpoint), secrets.DeviceCredential);
        JsonElement answer = await client.PutAsync($"api/device/{Uri.EscapeDataString(identity.ResourceName)}/secrets",
            new { bitLockerRecoveryKey = secrets.BitLockerRecoveryKey, bmcUserPassword = secrets.BmcUserPassword }, ct);
        IEnumerable<string> names = answer.GetProperty("secrets").EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()} ({s.GetProperty("version").GetString()})");
        return $"Device secrets pushed to the vault: {string.Join(", ", names)}.";
    }

    /// <summary>
    /// Swaps the device credential for a new one: stores it, then uses it once, which retires the old one at EdgeKv. If
    /// the answer never arrives the old one still works and the command can simply run again.
    /// </summary>
    public static async Task<string> RotateCredentialAsync(DeviceStore store, CancellationToken ct)
    {
        (DeviceIdentity identity, DeviceSecrets secrets) = Require(store);
        string resource = Uri.EscapeDataString(identity.ResourceName);
        string fresh;
        using (var client = new EdgeKvServiceClient(new Uri(identity.ServiceEndpoint), secrets.DeviceCredential))
        {
            fresh = (await client.PostAsync($"api/device/{resource}/credential", new { },
                ct)).GetProperty("deviceCredential").GetString()!;
        }

        store.WriteSecrets(secrets with { DeviceCredential = fresh });
        using (var confirm = new EdgeKvServiceClient(new Uri(identity.ServiceEndpoint), fresh))
        {
            await confirm.GetAsync($"api/device/{resource}/syncRequest?waitSeconds=0", ct);
        }

        return "Device credential rotated; the previous one no longer works.";
    }

    /// <summary>
    /// Asks EdgeKv (long poll, up to <paramref name="waitSeconds"/>) whether a sync of device secrets is requested; if
    /// so, pushes the BitLocker recovery key, the BMC password and the channel integrity key this device holds.
    /// </summary>
    public static async Task<string> SyncAsync(DeviceStore store, int waitSeconds, CancellationToken ct)
    {
        (DeviceIdentity identity, DeviceSecrets secrets) = Require(store);
        using var client = new EdgeKvServiceClient(new Uri(identity.ServiceEndpoint), secrets.DeviceCredential);
        string resource = Uri.EscapeDataString(identity.ResourceName);
        JsonElement pending = await client.GetAsync($"api/device/{resource}/syncRequest?waitSeconds={waitSeconds}", ct);
        if (pending.GetProperty("requestId").GetString() is not { } requestId) return "No sync of device secrets requested.";
        if (secrets.BitLockerRecoveryKey is null || secrets.BmcUserPassword is null)
        {
            secrets = secrets with { BitLockerRecoveryKey = NewBitLockerRecoveryKey(),
                BmcUserPassword = NewBmcPassword() };
            store.WriteSecrets(secrets);
        }

        string taken = "";
        if (pending.TryGetProperty("rotatedChannelIntegrityKey",
            out JsonElement rotated) && rotated.ValueKind == JsonValueKind.Object)
        {
            // A rotation: the new key, encrypted under the one this device holds. Stored before answering, so an answer
            // lost on the way leaves the device with the key the vault's newest version holds.
            string version = rotated.GetProperty("version").GetString()!;
            byte[] key = Decrypt(secrets.ChannelIntegrityKey, rotated.GetProperty("encrypted"),
                "cik-rotation:" + identity.ResourceName,
                "The rotated channel integrity key did not decrypt with this device's key: it was altered, or this device holds another key (activate again).");
            secrets = secrets with { ChannelIntegrityKey = Convert.ToBase64String(key),
                ChannelIntegrityKeyVersion = version };
            CryptographicOperations.ZeroMemory(key);
            store.WriteSecrets(secrets);
            taken = $" Took channel integrity key version {version}.";
        }

        JsonElement answer = await client.PutAsync($"api/device/{resource}/sync/{Uri.EscapeDataString(requestId)}",
            new { bitLockerRecoveryKey = secrets.BitLockerRecoveryKey, bmcUserPassword = secrets.BmcUserPassword,
                channelIntegrityKey = secrets.ChannelIntegrityKey }, ct);
        IEnumerable<string> names = answer.GetProperty("secrets").EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()} ({s.GetProperty("version").GetString()})");
        return $"Sync {requestId} answered: {string.Join(", ", names)}.{taken}";
    }

    /// <summary>Fetches a customer secret as ciphertext under the CIK and decrypts it on the device.</summary>
    public static async Task<string> GetSecretAsync(DeviceStore store, string name, CancellationToken ct)
    {
        (DeviceIdentity identity, DeviceSecrets secrets) = Require(store);
        using var client = new EdgeKvServiceClient(new Uri(identity.ServiceEndpoint), secrets.DeviceCredential);
        JsonElement answer = await client.GetAsync($"api/device/{Uri.EscapeDataString(identity.ResourceName)}/customerSecrets/{Uri.EscapeDataString(name)}", ct);
        byte[] plaintext = Decrypt(secrets.ChannelIntegrityKey, answer.GetProperty("encrypted"), identity.ResourceName,
            "The secret did not decrypt with this device's channel integrity key: it was altered, or the key changed (sync, or activate again).");
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>
    /// AES-256-GCM under the CIK, as EdgeKv's ChannelCipher encrypts: base64 nonce, ciphertext and tag.
    /// </summary>
    private static byte[] Decrypt(string cik, JsonElement encrypted, string associatedData, string failure)
    {
        byte[] nonce = Convert.FromBase64String(encrypted.GetProperty("nonce").GetString()!);
        byte[] ciphertext = Convert.FromBase64String(encrypted.GetProperty("ciphertext").GetString()!);
        byte[] tag = Convert.FromBase64String(encrypted.GetProperty("tag").GetString()!);
        byte[] plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(Convert.FromBase64String(cik), 16);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, Encoding.UTF8.GetBytes(associatedData));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new DeviceCommandException("ChannelIntegrityFailure", failure);
        }

        return plaintext;
    }

    public static string Status(DeviceStore store)
    {
        DeviceIdentity? identity = store.ReadIdentity();
        if (identity is null) return "Not activated.";
        DeviceSecrets? secrets = store.ReadSecrets();
        return $"Activated as '{identity.ResourceName}' ({identity.ResourceId}) with {identity.ServiceEndpoint} at {identity.ActivatedAt:O}; " +
               $"channel integrity key version {secrets?.ChannelIntegrityKeyVersion}; device secrets {(secrets?.BitLockerRecoveryKey is null ? "not generated" : "generated")}.";
    }

    /// <summary>48 digits in 8 groups of 6, each group a multiple of 11, as BitLocker recovery passwords are.</summary>
    internal static string NewBitLockerRecoveryKey() =>
        string.Join('-', Enumerable.Range(0,
            8).Select(_ => (RandomNumberGenerator.GetInt32(0, 65536) * 11).ToString("D6",
                System.Globalization.CultureInfo.InvariantCulture)));

    internal static string NewBmcPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789",
            symbols = "!#%*+-=?@_";
        string all = upper + lower + digits + symbols;
        var chars = new List<char> { Pick(upper), Pick(lower), Pick(digits), Pick(symbols) };
        while (chars.Count < 24) chars.Add(Pick(all));
        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]);
        static char Pick(string set) => set[RandomNumberGenerator.GetInt32(set.Length)];
    }

    /// <summary>
    /// The resource and endpoint an activation key names (read without checking the signature: EdgeKv checks it).
    /// </summary>
    private static (string Resource, string Endpoint) ReadKeyHeader(string key)
    {
        string[] parts = key.Trim().Split('.');
        if (parts.Length != 3 || parts[0] != "EKV1") throw new DeviceCommandException("ActivationKeyMalformed",
            "This is not an EdgeKv activation key (EKV1.payload.signature).");
        try
        {
            string b64 = parts[1].Replace('-', '+').Replace('_', '/');
            using JsonDocument payload = JsonDocument.Parse(Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=')));
            return (payload.RootElement.GetProperty("R").GetString()!,
                payload.RootElement.GetProperty("E").GetString()!);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException)
        {
            throw new DeviceCommandException("ActivationKeyMalformed", "The activation key's payload cannot be read.");
        }
    }

    private static (DeviceIdentity, DeviceSecrets) Require(DeviceStore store) =>
        (store.ReadIdentity() ?? throw new DeviceCommandException("NotActivated",
            "This device is not activated: run 'activate --key ...' first."),
         store.ReadSecrets() ?? throw new DeviceCommandException("NotActivated",
             "This device has no stored credential: run 'activate --key ...' again."));
}
