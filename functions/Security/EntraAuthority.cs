namespace EdgeKv.Functions.Security;

/// <summary>
/// One Entra tenant's two OpenID metadata documents: v1 (<c>{host}/{tenant}/.well-known/openid-configuration</c>, whose
/// issuer is <c>https://sts.windows.net/{tenant}/</c> in the public cloud) and v2
/// (<c>{host}/{tenant}/v2.0/.well-known/openid-configuration</c>, issuer <c>{host}/{tenant}/v2.0</c>). Which version a
/// token is depends on the app registration's <c>accessTokenAcceptedVersion</c>, not on the endpoint the client used,
/// so both are kept.
/// </summary>
public sealed record EntraAuthority(Uri TenantRoot)
{
    public Uri V1Metadata => new($"{TenantRoot.AbsoluteUri.TrimEnd('/')}/.well-known/openid-configuration");

    public Uri V2Metadata => new($"{TenantRoot.AbsoluteUri.TrimEnd('/')}/v2.0/.well-known/openid-configuration");

    /// <summary>
    /// From a configured authority, either version's form: <c>https://host/{tenant}/v2.0</c> or
    /// <c>https://host/{tenant}</c>.
    /// </summary>
    public static EntraAuthority FromAuthority(Uri authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        string root = authority.AbsoluteUri.TrimEnd('/');
        if (root.EndsWith("/v2.0", StringComparison.OrdinalIgnoreCase)) root = root[..^"/v2.0".Length];
        return new EntraAuthority(new Uri(root + "/"));
    }

    /// <summary>
    /// The tenant at a cloud's authority host (<c>https://login.microsoftonline.com/</c>, a custom cloud's).
    /// </summary>
    public static EntraAuthority For(Uri authorityHost, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(authorityHost);
        return new EntraAuthority(new Uri($"{authorityHost.AbsoluteUri.TrimEnd('/')}/{tenantId}/"));
    }
}
