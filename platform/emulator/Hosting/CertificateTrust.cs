using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EdgeKv.Emulator.Hosting;

/// <summary>Trusts exactly one certificate, by thumbprint (the emulator's self-signed certificate).</summary>
public static class CertificateTrust
{
    public static HttpClientHandler CreateHandler(string thumbprint) => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => IsTrusted(thumbprint, certificate,
            errors),
    };

    public static bool IsTrusted(string thumbprint, X509Certificate2? certificate, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None ||
        (certificate is not null && string.Equals(certificate.Thumbprint, thumbprint,
            StringComparison.OrdinalIgnoreCase));
}
