namespace EdgeKv.Azure.Vaults;

/// <summary>
/// A vault's network ACLs (<c>properties.networkAcls</c>): the default action (Deny or Allow), what bypasses the rules
/// (AzureServices: trusted Microsoft services, or None), and the public IP ranges (CIDR or single addresses) allowed
/// in.
/// </summary>
public sealed record VaultNetworkRules(string DefaultAction, string Bypass, IReadOnlyList<string> IpRules);
