using System.Security.Cryptography;

namespace EdgeKv.Records;

/// <summary>
/// How a customer secret travels to the device: AES-256-GCM under the Channel Integrity Key (32 bytes), a random
/// 12-byte nonce, the resource name as associated data. The device agent holds the same code.
/// </summary>
public static class ChannelCipher
{
    public const int KeySize = 32;

    public static ChannelCiphertext Encrypt(byte[] cik, byte[] plaintext, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(cik);
        ArgumentNullException.ThrowIfNull(plaintext);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        using var aes = new AesGcm(cik, tag.Length);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, System.Text.Encoding.UTF8.GetBytes(associatedData));
        return new ChannelCiphertext(Convert.ToBase64String(nonce), Convert.ToBase64String(ciphertext),
            Convert.ToBase64String(tag));
    }
}

/// <summary>An AES-256-GCM ciphertext under the CIK, base64 fields.</summary>
public sealed record ChannelCiphertext(string Nonce, string Ciphertext, string Tag);
