using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using EdgeKv.Records;

namespace EdgeKv.Local.Security;

/// <summary>
/// Functions-style system keys (such as <c>eventgrid_extension</c>) that authenticate webhook calls through the
/// <c>code</c> query parameter or the <c>x-functions-key</c> header. Only a salted SHA-256 hash of each key is kept: in
/// <c>keys/system-keys.json</c> under the data path, or, with several hosts, in one blob of the shared account, written
/// under its ETag and read again before each check, so a key rotated on one host is the key on every host. A key's
/// value is shown once, when it is created or rotated, and never logged.
/// </summary>
public sealed class SystemKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _folder;
    private readonly BlobClient? _shared;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredKey> _keys = new(StringComparer.OrdinalIgnoreCase);
    private ETag? _sharedETag;

    public SystemKeyStore(string folder)
    {
        _folder = folder;
        string path = StorePath;
        if (File.Exists(path))
        {
            foreach (StoredKey key in JsonSerializer.Deserialize<List<StoredKey>>(File.ReadAllText(path), Json) ?? [])
            {
                _keys[key.Name] = key;
            }
        }
    }

    /// <summary>
    /// Keys kept in <paramref name="shared"/> (several hosts); <paramref name="folder"/> only receives a first key's
    /// plaintext for a local operator.
    /// </summary>
    public SystemKeyStore(string folder, BlobClient shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        _folder = folder;
        _shared = shared;
        lock (_lock) Refresh();
    }

    private string StorePath => Path.Combine(_folder, "system-keys.json");

    /// <summary>
    /// Where the first generated value of a key is left for the local operator (see TriggerServices).
    /// </summary>
    public string PlaintextPath(string name) => Path.Combine(_folder, $"{name}.key");

    public bool Exists(string name)
    {
        lock (_lock)
        {
            Refresh();
            return _keys.ContainsKey(name);
        }
    }

    /// <summary>
    /// Sets the key from a configured value (for example an app setting fed from Key Vault); the value is hashed at
    /// once.
    /// </summary>
    public void Set(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        lock (_lock)
        {
            StoredKey hashed = Hash(name, value);
            if (_shared is null)
            {
                _keys[name] = hashed;
                OwnerOnlyFiles.WriteAllText(StorePath, JsonSerializer.Serialize(_keys.Values.ToList(), Json));
            }
            else
            {
                SaveShared(name, hashed);
            }

            // A plaintext copy handed to the local operator at first start is stale from now on: remove it.
            if (Directory.Exists(_folder)) File.Delete(PlaintextPath(name));
        }
    }

    /// <summary>
    /// Rotates a key the host already has; null when there is no such key (rotation never creates new key names).
    /// </summary>
    public string? RotateExisting(string name) => Exists(name) ? Rotate(name) : null;

    /// <summary>
    /// Creates a new random key, replacing any previous one, and returns its value: the only time it is visible.
    /// </summary>
    public string Rotate(string name)
    {
        string value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+',
            '-').Replace('/', '_');
        Set(name, value);
        return value;
    }

    /// <summary>
    /// True when <paramref name="presented"/> is the current value of key <paramref name="name"/> (constant-time
    /// comparison).
    /// </summary>
    public bool Verify(string name, string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        StoredKey? stored;
        lock (_lock)
        {
            Refresh();
            _keys.TryGetValue(name, out stored);
        }

        if (stored is null) return false;
        byte[] expected = Convert.FromBase64String(stored.Hash);
        byte[] actual = Digest(Convert.FromBase64String(stored.Salt), presented);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static StoredKey Hash(string name, string value)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        return new StoredKey(name, Convert.ToBase64String(salt), Convert.ToBase64String(Digest(salt, value)),
            DateTimeOffset.UtcNow);
    }

    private static byte[] Digest(byte[] salt,
        string value) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(value)]);

    /// <summary>
    /// Reads the shared blob again when another host changed it (a conditional GET: unchanged costs a 304).
    /// </summary>
    private void Refresh()
    {
        if (_shared is null) return;
        try
        {
            Response<BlobDownloadResult> response = _shared.DownloadContent(new BlobDownloadOptions
            {
                Conditions = _sharedETag is { } etag ? new BlobRequestConditions { IfNoneMatch = etag } : null,
            });
            if (response.GetRawResponse().Status == 304) return; // unchanged: the SDK answers 304 without a body rather than throwing
            BlobDownloadResult result = response.Value;
            _keys.Clear();
            foreach (StoredKey key in JsonSerializer.Deserialize<List<StoredKey>>(result.Content.ToString(),
                Json) ?? []) _keys[key.Name] = key;
            _sharedETag = result.Details.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 304)
        {
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            _keys.Clear();
            _sharedETag = null;
        }
    }

    /// <summary>
    /// Writes one key into the shared blob under its ETag; a host that wrote meanwhile makes this re-read and write
    /// again.
    /// </summary>
    private void SaveShared(string name, StoredKey key)
    {
        for (int attempt = 0; ; attempt++)
        {
            Refresh();
            _keys[name] = key;
            try
            {
                BlobContentInfo info = _shared!.Upload(BinaryData.FromString(JsonSerializer.Serialize(_keys.Values.ToList(), Json)), new BlobUploadOptions
                {
                    Conditions = _sharedETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                });
                _sharedETag = info.ETag;
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                _sharedETag = null; // read it whole again
            }
        }
    }

    private sealed record StoredKey(string Name, string Salt, string Hash, DateTimeOffset Created);
}
