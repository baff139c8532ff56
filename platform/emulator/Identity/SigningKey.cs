using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// The token service's RSA signing key, kept as PEM in the data folder so tokens stay valid across restarts.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private const string FileName = "signing-key.pem";
    private readonly RSA rsa;

    private SigningKey(RSA rsa)
    {
        this.rsa = rsa;
        var parameters = rsa.ExportParameters(false);
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(parameters.Modulus!))[..16];
        SecurityKey = new RsaSecurityKey(rsa) { KeyId = KeyId };
        Modulus = Base64UrlEncoder.Encode(parameters.Modulus);
        Exponent = Base64UrlEncoder.Encode(parameters.Exponent);
    }

    public string KeyId { get; }

    public RsaSecurityKey SecurityKey { get; }

    public string Modulus { get; }

    public string Exponent { get; }

    public static SigningKey LoadOrCreate(string dataFolder)
    {
        var path = Path.Combine(dataFolder, FileName);
        var rsa = RSA.Create(2048);
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            Hosting.OwnerOnlyFile.Write(path, System.Text.Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()));
        }

        return new SigningKey(rsa);
    }

    public void Dispose() => rsa.Dispose();
}
