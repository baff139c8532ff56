using EdgeKv.Emulator.Arm;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Emulator.Identity;

/// <summary>
/// Validates bearer tokens on every request: signature and issuer (this token service, v1 or v2), tenant, audience,
/// expiry (host clock). Failures are Resource Manager's 401 answers; the data plane maps them to its own shape.
/// </summary>
internal sealed class TokenValidator(SigningKey key, IReadOnlyList<string> issuers, Guid tenantId,
    TimeProvider hostClock)
{
    public static readonly IReadOnlyList<string> ManagementAudiences =
    [
        "https://management.azure.com/", "https://management.azure.com",
        "https://management.core.windows.net/", "https://management.core.windows.net",
    ];

    private readonly JsonWebTokenHandler handler = new();

    /// <summary>
    /// Returns the caller, or throws the <see cref="ArmErrorException"/> Resource Manager would answer.
    /// </summary>
    public async Task<CallerIdentity> ValidateAsync(string? authorization, IReadOnlyList<string> audiences)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            throw ArmErrors.MissingAuthorizationHeader();
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrors.InvalidAuthenticationToken();
        }

        var token = authorization["Bearer ".Length..].Trim();
        var parameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            IssuerSigningKey = key.SecurityKey,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidateIssuer = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        };
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw ArmErrors.InvalidAuthenticationToken();
        }

        if (!jwt.TryGetPayloadValue<string>("tid", out var tid) || !Guid.TryParse(tid, out var tokenTenant))
        {
            throw ArmErrors.InvalidAuthenticationToken();
        }

        if (tokenTenant != tenantId)
        {
            throw ArmErrors.InvalidAuthenticationTokenTenant(tid);
        }

        var audience = jwt.Audiences.FirstOrDefault() ?? string.Empty;
        if (!audiences.Contains(audience, StringComparer.OrdinalIgnoreCase))
        {
            throw ArmErrors.InvalidAuthenticationTokenAudience(audience);
        }

        var now = hostClock.GetUtcNow();
        var expiry = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expiry <= now)
        {
            throw ArmErrors.ExpiredAuthenticationToken(expiry, now);
        }

        if (!jwt.TryGetPayloadValue<string>("oid", out var oid) || !Guid.TryParse(oid, out var objectId))
        {
            throw ArmErrors.InvalidAuthenticationToken();
        }

        jwt.TryGetPayloadValue<string>("appid", out var appId);
        var roles = jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).ToList();
        return new CallerIdentity(objectId, tokenTenant, appId ?? string.Empty, audience, roles);
    }
}
