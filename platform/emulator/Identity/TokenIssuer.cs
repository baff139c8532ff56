using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// Issues RS256 access tokens in the shape of Microsoft Entra ID. Token lifetimes follow the host clock, not the
/// shifted one. Group memberships go in the <c>groups</c> claim up to Entra's limit for JWTs (<see
/// cref="GroupsClaimLimit"/>); beyond it, as Entra does, the token carries the overage indicator instead
/// (<c>_claim_names</c> and <c>_claim_sources</c> pointing at Microsoft Graph) and no groups. Tokens are v2 (<c>ver</c>
/// 2.0, issuer <c>{endpoint}/{tenant}/v2.0</c>) unless asked for v1 (<c>ver</c> 1.0, issuer <see cref="V1IssuerFor"/>),
/// as Entra issues for a resource whose app registration accepts v1 tokens; both are signed with the same keys, as
/// Entra's are.
/// </summary>
internal sealed class TokenIssuer(SigningKey key, Uri endpoint, Guid tenantId, TimeProvider hostClock,
    TimeSpan lifetime)
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issuer => IssuerFor(endpoint, tenantId);

    public static string IssuerFor(Uri endpoint, Guid tenantId) => $"{endpoint.AbsoluteUri.TrimEnd('/')}/{tenantId}/v2.0";

    /// <summary>
    /// The issuer of v1 tokens. Entra's is another host than its sign-in host
    /// (<c>https://sts.windows.net/{tenant}/</c>); here another path, so that a client must read it from the v1
    /// metadata rather than derive it from the authority.
    /// </summary>
    public static string V1IssuerFor(Uri endpoint, Guid tenantId) => $"{endpoint.AbsoluteUri.TrimEnd('/')}/sts/{tenantId}/";

    public const string Version1 = "1.0";

    public const string Version2 = "2.0";

    public const int GroupsClaimLimit = 200;

    public IssuedToken Issue(Guid objectId, Guid appId, string audience, IReadOnlyList<string>? roles,
        TimeSpan? lifetimeOverride = null,
        IReadOnlyList<Guid>? groups = null, string version = Version2, Guid? tenantOverride = null)
    {
        var tenant = tenantOverride ?? tenantId;
        var v1 = version == Version1;
        var now = hostClock.GetUtcNow();
        var expires = now + (lifetimeOverride ?? lifetime);
        var claims = new Dictionary<string, object>
        {
            ["oid"] = objectId.ToString(),
            ["sub"] = objectId.ToString(),
            ["tid"] = tenant.ToString(),
            ["appid"] = appId.ToString(),
            ["idtyp"] = "app",
            ["ver"] = v1 ? Version1 : Version2,
        };
        if (!v1)
        {
            claims["azp"] = appId.ToString(); // v1 tokens name the client in appid only
        }

        if (roles is { Count: > 0 })
        {
            claims["roles"] = roles.ToArray();
        }

        if (groups is { Count: > GroupsClaimLimit })
        {
            claims["_claim_names"] = new Dictionary<string, object> { ["groups"] = "src1" };
            claims["_claim_sources"] = new Dictionary<string, object>
            {
                ["src1"] = new Dictionary<string, object> { ["endpoint"] = $"https://graph.microsoft.com/v1.0/users/{objectId}/getMemberObjects" },
            };
        }
        else if (groups is { Count: > 0 })
        {
            claims["groups"] = groups.Select(g => g.ToString()).ToArray();
        }

        var notBefore = lifetimeOverride is { } custom && custom < TimeSpan.Zero ? expires.AddMinutes(-5) : now.AddMinutes(-5);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = v1 ? V1IssuerFor(endpoint, tenant) : IssuerFor(endpoint, tenant),
            Audience = audience,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.RsaSha256),
        };
        return new IssuedToken(handler.CreateToken(descriptor), expires);
    }
}
