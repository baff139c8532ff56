using global::Azure.Security.KeyVault.Keys;

namespace EdgeKv.Azure.Keys;

/// <summary>
/// Options of <see cref="KeysClient"/>: those of the SDK's <see cref="KeyClient"/> (transport, retries, service
/// version, challenge verification), plus the token scope the Bring Your Own Key import sends up front.
/// </summary>
public sealed class KeysClientOptions : KeyClientOptions
{
    /// <summary>The token scope of Key Vault in the vault's cloud (the public cloud's by default).</summary>
    public string Scope { get; set; } = KeysClient.Scope;

    /// <summary>The api-version string of <see cref="KeyClientOptions.Version"/> (<c>V7_6</c> is <c>7.6</c>).</summary>
    internal string ApiVersion => Version.ToString()[1..].Replace('_', '.');
}
