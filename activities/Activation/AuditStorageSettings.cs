using EdgeKv.Azure.Storage;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// How each audit storage account is created (section <c>EdgeKv:AuditStorage</c>); every default is the secure value.
/// </summary>
public sealed class AuditStorageSettings
{
    public const string SectionName = "EdgeKv:AuditStorage";

    /// <summary>Account keys and SAS signed with them; off, EdgeKv and Azure Monitor use Entra identities.</summary>
    public bool AllowSharedKeyAccess { get; set; }

    /// <summary>Anonymous reads of containers and blobs.</summary>
    public bool AllowBlobPublicAccess { get; set; }

    /// <summary>TLS1_2 or TLS1_3 (TLS1_0 and TLS1_1 are retired in Azure).</summary>
    public string MinimumTlsVersion { get; set; } = "TLS1_2";

    /// <summary>
    /// Days each audit blob is kept unchangeable after its creation (a time-based retention policy on the audit
    /// container); 0 = none.
    /// </summary>
    public int ImmutabilityDays { get; set; } = 365;

    public StorageAccountSecurity Security => new(AllowSharedKeyAccess, AllowBlobPublicAccess, MinimumTlsVersion);

    public void Validate()
    {
        if (MinimumTlsVersion is not ("TLS1_2" or "TLS1_3")) throw new InvalidOperationException("EdgeKv:AuditStorage:MinimumTlsVersion must be TLS1_2 or TLS1_3.");
        // Azure's range for a container's time-based retention.
        if (ImmutabilityDays is < 0 or > 146000) throw new InvalidOperationException("EdgeKv:AuditStorage:ImmutabilityDays must be 0 (none) to 146000.");
    }
}
