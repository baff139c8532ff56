namespace EdgeKv.Azure.Storage;

/// <summary>The security properties a storage account is created with.</summary>
public sealed record StorageAccountSecurity(bool AllowSharedKeyAccess, bool AllowBlobPublicAccess,
    string MinimumTlsVersion)
{
    /// <summary>Entra tokens only, no anonymous blob reads, TLS 1.2 or later.</summary>
    public static readonly StorageAccountSecurity Hardened = new(AllowSharedKeyAccess: false,
        AllowBlobPublicAccess: false, MinimumTlsVersion: "TLS1_2");
}
