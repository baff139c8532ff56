using global::Azure.Core;

namespace EdgeKv.Azure.Keys;

/// <summary>Options of <see cref="KeysClient"/> (transport, retries) and the Key Vault api-version it sends.</summary>
public sealed class KeysClientOptions : ClientOptions
{
    public const string DefaultApiVersion = "7.6";

    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>The token scope of Key Vault in the vault's cloud (the public cloud's by default).</summary>
    public string Scope { get; set; } = KeysClient.Scope;
}
