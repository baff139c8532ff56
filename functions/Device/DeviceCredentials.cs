using System.Security.Cryptography;
using System.Text;
using EdgeKv.Records;

namespace EdgeKv.Functions.Device;

/// <summary>
/// Device credentials: 32 random bytes (base64url) given to the device once at activation; EdgeKv keeps only their
/// SHA-256. A device API request carries <c>Authorization: EdgeKvDevice {credential}</c> and reaches only the resource
/// whose record holds that hash. A rotated credential is pending until its first use; until then the current one works
/// too, and the first request with the new one retires the old (<see cref="PromoteAsync"/>).
/// </summary>
public static class DeviceCredentials
{
    public const string Scheme = "EdgeKvDevice";

    public static string Create() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    /// <summary>The hash of the credential a request presents, or null when it presents none.</summary>
    public static string? PresentedHash(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme + " ",
            StringComparison.Ordinal) ? Hash(header[(Scheme.Length + 1)..].Trim()) : null;
    }

    /// <summary>Which of the record's credentials has this hash, compared in fixed time.</summary>
    public static CredentialMatch Match(ResourceRecord record, string? hash)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (hash is null) return CredentialMatch.None;
        if (Equal(hash, record.DeviceCredentialHash)) return CredentialMatch.Current;
        return Equal(hash, record.PendingDeviceCredentialHash) ? CredentialMatch.Pending : CredentialMatch.None;
    }

    public static bool Matches(ResourceRecord record, HttpRequest request) => Match(record,
        PresentedHash(request)) != CredentialMatch.None;

    /// <summary>
    /// The device used its rotated credential: it becomes the current one and the old one stops working.
    /// </summary>
    public static Task<ResourceRecord?> PromoteAsync(ResourceStore store, string resourceName, string hash,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.UpdateAsync(resourceName, r => r.PendingDeviceCredentialHash == hash
            ? r with { DeviceCredentialHash = hash, PendingDeviceCredentialHash = null }
            : r, cancellationToken);
    }

    private static bool Equal(string hash, string? stored) =>
        stored is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash),
            Encoding.ASCII.GetBytes(stored));
}

/// <summary>Which credential of a device a request presented.</summary>
public enum CredentialMatch
{
    None,
    Current,

    /// <summary>A rotated credential, used for the first time.</summary>
    Pending,
}
