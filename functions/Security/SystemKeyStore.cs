using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeKv.Records;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Functions-style system keys (such as <c>eventgrid_extension</c>) that authenticate webhook calls through the
/// <c>code</c> query parameter or the <c>x-functions-key</c> header. Only a salted SHA-256 hash of each key is kept;
/// a key's value is shown once, when it is created or rotated, and never logged.
/// </summary>
public sealed class SystemKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _folder;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredKey> _keys = new(StringComparer.OrdinalIgnoreCase);

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

    private string StorePath => Path.Combine(_folder, "system-keys.json");

    /// <summary>Where the first generated value of a key is left for the local operator (see TriggerServices).</summary>
    public string PlaintextPath(string name) => Path.Combine(_folder, $"{name}.key");

    public bool Exists(string name)
    {
        lock (_lock) return _keys.ContainsKey(name);
    }

    /// <summary>Sets the key from a configured value (for example an app setting fed from Key Vault); the value is hashed at once.</summary>
    public void Set(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        lock (_lock)
        {
            _keys[name] = Hash(name, value);
            Save();

            // A plaintext copy handed to the local operator at first start is stale from now on: remove it.
            File.Delete(PlaintextPath(name));
        }
    }

    /// <summary>Creates a new random key, replacing any previous one, and returns its value: the only time it is visible.</summary>
    /// <summary>Rotates a key the host already has; null when there is no such key (rotation never creates new key names).</summary>
    public string? RotateExisting(string name) => Exists(name) ? Rotate(name) : null;

    public string Rotate(string name)
    {
        string value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Set(name, value);
        return value;
    }

    /// <summary>True when <paramref name="presented"/> is the current value of key <paramref name="name"/> (constant-time comparison).</summary>
    public bool Verify(string name, string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        StoredKey? stored;
        lock (_lock) _keys.TryGetValue(name, out stored);
        if (stored is null) return false;
        byte[] expected = Convert.FromBase64String(stored.Hash);
        byte[] actual = Digest(Convert.FromBase64String(stored.Salt), presented);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static StoredKey Hash(string name, string value)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        return new StoredKey(name, Convert.ToBase64String(salt), Convert.ToBase64String(Digest(salt, value)), DateTimeOffset.UtcNow);
    }

    private static byte[] Digest(byte[] salt, string value) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(value)]);

    private void Save()
    {
        OwnerOnlyFiles.WriteAllText(StorePath, JsonSerializer.Serialize(_keys.Values.ToList(), Json));
    }

    private sealed record StoredKey(string Name, string Salt, string Hash, DateTimeOffset Created);
}
