using EdgeKv.Azure.Vaults;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Network ACLs of the vaults activation creates (section <c>EdgeKv:VaultNetwork</c>), applied when <see
/// cref="AllowedIpRanges"/> is configured: the devices' and EdgeKv's outbound addresses must be among them, because
/// neither Azure Stack Edge devices nor Azure Functions are trusted services that the bypass lets in. Once applied, the
/// secure values are the defaults: deny, trusted Azure services only bypassing.
/// </summary>
public sealed class VaultNetworkSettings
{
    public const string SectionName = "EdgeKv:VaultNetwork";

    /// <summary>Public IPv4 addresses or CIDR ranges allowed in; empty = no network ACLs.</summary>
    public IList<string> AllowedIpRanges { get; } = [];

    /// <summary>Deny (secure) or Allow: what happens to a request from anywhere else.</summary>
    public string DefaultAction { get; set; } = "Deny";

    /// <summary>AzureServices (trusted Microsoft services, e.g. Azure Monitor) or None.</summary>
    public string Bypass { get; set; } = "AzureServices";

    /// <summary>The ACLs to create a vault with; null when none are configured.</summary>
    public VaultNetworkRules? Rules => AllowedIpRanges.Count == 0 ? null : new VaultNetworkRules(DefaultAction, Bypass,
        [.. AllowedIpRanges]);

    public void Validate()
    {
        if (DefaultAction is not ("Deny" or "Allow")) throw new InvalidOperationException("EdgeKv:VaultNetwork:DefaultAction must be Deny or Allow.");
        if (Bypass is not ("AzureServices" or "None")) throw new InvalidOperationException("EdgeKv:VaultNetwork:Bypass must be AzureServices or None.");
        foreach (string range in AllowedIpRanges)
        {
            if (!System.Net.IPNetwork.TryParse(range.Contains('/', StringComparison.Ordinal) ? range : range + "/32",
                out _))
            {
                throw new InvalidOperationException($"EdgeKv:VaultNetwork:AllowedIpRanges: '{range}' is not an IPv4 address or CIDR range.");
            }
        }
    }
}
