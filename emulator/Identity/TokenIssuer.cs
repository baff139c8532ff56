using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// Issues RS256 access tokens in the shape of Microsoft Entra ID. Token lifetimes follow the host clock, not the shifted
/// one. Group memberships go in the <c>groups</c> claim up to Entra's limit for JWTs (<see cref="GroupsClaimLimit"/>);
/// beyond it, as Entra does, the token carries the overage indicator instead (<c>_claim_names</c> and
/// <c>_claim_sources</c> pointing at Microsoft Graph) and no groups.
/// </summary>
internal sealed class TokenIssuer(SigningKey key, Uri endpoint, Guid tenantId, TimeProvider hostClock, TimeSpan lifetime)
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issuer => IssuerFor(endpoint, tenantId);

    public static string IssuerFor(Uri endpoint, Guid tenantId) => $"{endpoint.AbsoluteUri.TrimEnd('/')}/{tenantId}/v2.0";

    public const int GroupsClaimLimit = 200;

    public IssuedToken Issue(Guid objectId, Guid appId, string audience, IReadOnlyList<string>? roles, TimeSpan? lifetimeOverride = null,
        IReadOnlyList<Guid>? groups = null)
    {
        var now = hostClock.GetUtcNow();
        var expires = now + (lifetimeOverride ?? lifetime);
        var claims = new Dictionary<string, object>
        {
            ["oid"] = objectId.ToString(),
            ["sub"] = objectId.ToString(),
            ["tid"] = tenantId.ToString(),
            ["appid"] = appId.ToString(),
            ["azp"] = appId.ToString(),
            ["idtyp"] = "app",
            ["ver"] = "2.0",
        };
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
            Issuer = Issuer,
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
