using System.Security.Cryptography;
using System.Text;
using EdgeKv.Records;

namespace EdgeKv.Functions.Device;

/// <summary>
/// Device credentials: 32 random bytes (base64url) given to the device once at activation; EdgeKv keeps only their
/// SHA-256. A device API request carries <c>Authorization: EdgeKvDevice {credential}</c> and reaches only the resource
/// whose record holds that hash.
/// </summary>
public static class DeviceCredentials
{
    public const string Scheme = "EdgeKvDevice";

    public static string Create() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    public static bool Matches(ResourceRecord record, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(request);
        string header = request.Headers.Authorization.ToString();
        if (record.DeviceCredentialHash is null || !header.StartsWith(Scheme + " ", StringComparison.Ordinal)) return false;
        byte[] given = Encoding.ASCII.GetBytes(Hash(header[(Scheme.Length + 1)..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(record.DeviceCredentialHash));
    }
}
