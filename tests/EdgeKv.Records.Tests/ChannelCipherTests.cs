using System.Security.Cryptography;
using System.Text;
using EdgeKv.Records;

namespace EdgeKv.Records.Tests;

[TestClass]
public sealed class ChannelCipherTests
{
    [TestMethod]
    public void Ciphertext_decrypts_with_the_CIK_and_the_resource_name_only()
    {
        byte[] cik = RandomNumberGenerator.GetBytes(32);
        ChannelCiphertext sealedSecret = ChannelCipher.Encrypt(cik, Encoding.UTF8.GetBytes("p@ss"), "ase1");
        Assert.AreEqual("p@ss", Decrypt(cik, sealedSecret, "ase1"));
        Assert.ThrowsExactly<AuthenticationTagMismatchException>(() => Decrypt(cik, sealedSecret, "ase2"));
        Assert.ThrowsExactly<AuthenticationTagMismatchException>(() => Decrypt(RandomNumberGenerator.GetBytes(32),
            sealedSecret, "ase1"));
        Assert.AreNotEqual(sealedSecret.Nonce, ChannelCipher.Encrypt(cik, Encoding.UTF8.GetBytes("p@ss"), "ase1").Nonce,
            "a fresh nonce each time");
    }

    private static string Decrypt(byte[] cik, ChannelCiphertext c, string resource)
    {
        byte[] ciphertext = Convert.FromBase64String(c.Ciphertext);
        byte[] plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(cik, 16);
        aes.Decrypt(Convert.FromBase64String(c.Nonce), ciphertext, Convert.FromBase64String(c.Tag), plaintext,
            Encoding.UTF8.GetBytes(resource));
        return Encoding.UTF8.GetString(plaintext);
    }
}
