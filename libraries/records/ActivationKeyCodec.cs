using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeKv.Records;

/// <summary>
/// Writes and checks activation keys: <c>EKV1.{payload}.{signature}</c>, base64url, where the payload is the JSON of
/// <see cref="ActivationKeyClaims"/> and the signature an HMAC-SHA256 with EdgeKv's signing key (32 random bytes in
/// <c>activation-signing.key</c> under the data path, created on first use, owner-only). The key carries no secret:
/// not the CIK, not the device credential. The same claims always give the same key, so EdgeKv keeps only the claims
/// (key id and expiry) and derives the key again when the operator fetches it.
/// </summary>
public sealed class ActivationKeyCodec
{
    public const string Prefix = "EKV1";
    private readonly byte[] signingKey;
    private readonly TimeProvider time;

    public ActivationKeyCodec(string signingKeyPath, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKeyPath);
        this.time = time;
        signingKey = LoadOrCreate(signingKeyPath);
    }

    /// <summary>
    /// With a signing key kept elsewhere (several hosts: <see cref="Shared.SharedSecretBlob"/>), so every host reads
    /// every host's keys.
    /// </summary>
    public ActivationKeyCodec(byte[] signingKey, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.Length < 32) throw new ArgumentException("The signing key has at least 32 bytes.",
            nameof(signingKey));
        this.signingKey = signingKey;
        this.time = time;
    }

    public string Write(ActivationKeyClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(claims.ResourceName, claims.ResourceId,
            claims.ServiceEndpoint, claims.KeyId,
            claims.ExpiresAt.ToUnixTimeSeconds()));
        string body = $"{Prefix}.{Base64Url(payload)}";
        return $"{body}.{Base64Url(HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(body)))}";
    }

    /// <summary>
    /// Checks the signature first, then the expiry. <paramref name="problem"/> says what is wrong, for the caller's
    /// 4xx.
    /// </summary>
    public bool TryRead(string? key, out ActivationKeyClaims? claims, out ActivationKeyProblem problem)
    {
        claims = null;
        problem = ActivationKeyProblem.Malformed;
        string[] parts = (key ?? string.Empty).Trim().Split('.');
        if (parts.Length != 3 || parts[0] != Prefix) return false;
        byte[] expected = HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        byte[]? given = FromBase64Url(parts[2]);
        if (given is null || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            problem = ActivationKeyProblem.Tampered;
            return false;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(FromBase64Url(parts[1]) ?? []);
        }
        catch (JsonException)
        {
            return false;
        }

        if (payload is null) return false;
        claims = new ActivationKeyClaims(payload.R, payload.Id, payload.E, payload.K,
            DateTimeOffset.FromUnixTimeSeconds(payload.X));
        if (claims.ExpiresAt <= time.GetUtcNow())
        {
            problem = ActivationKeyProblem.Expired;
            return false;
        }

        problem = ActivationKeyProblem.None;
        return true;
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        byte[] key = RandomNumberGenerator.GetBytes(32);
        try
        {
            OwnerOnlyFiles.WriteAllText(path, Convert.ToBase64String(key), overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim()); // another process won the race
        }

        return key;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+',
        '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        string b64 = text.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Payload(string R, string Id, string E, string K, long X);
}

public enum ActivationKeyProblem
{
    None,
    Malformed,
    Tampered,
    Expired,
}
