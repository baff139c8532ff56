using System.Security.Claims;
using EdgeKv.Activities;
using EdgeKv.Azure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Validates Entra ID access tokens with IdentityModel: a v1 token (<c>ver</c> 1.0) against the tenant's v1 OpenID
/// metadata (issuer <c>https://sts.windows.net/{tenant}/</c>), any other against the v2 metadata (issuer <c>{authority
/// host}/{tenant}/v2.0</c>); signing keys from that metadata (cached, refreshed on schedule and when a token names an
/// unknown key); audience EdgeKv's App ID URI or client id; lifetime on the host's <see cref="TimeProvider"/>. The
/// authority is <see cref="EdgeKvAuthenticationOptions.Authority"/>, else the cloud's authority host and tenant, else
/// (local mode) the emulator's token service. When the metadata cannot be had it throws <see
/// cref="TokenAuthorityUnavailableException"/>: the caller's token is not at fault.
/// </summary>
public sealed partial class EntraTokenValidator(
    IOptions<EdgeKvAuthenticationOptions> options, AzureContextProvider azure, TimeProvider time,
    ILogger<EntraTokenValidator> logger) : IDisposable
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly SemaphoreSlim gate = new(1, 1);
    private (OpenIdMetadata V1, OpenIdMetadata V2)? metadata;
    private HttpClient? http;

    /// <summary>The validated identity, or null with the reason (never the token itself).</summary>
    public async Task<(ClaimsIdentity? Identity, string? Failure)> ValidateAsync(string token,
        CancellationToken cancellationToken)
    {
        // The unvalidated version claim only chooses which issuer and keys the token must then satisfy.
        string? version;
        try
        {
            version = handler.ReadJsonWebToken(token).TryGetPayloadValue("ver", out string? ver) ? ver : null;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            LogRejected(logger, "InvalidAuthenticationToken");
            return (null, "InvalidAuthenticationToken");
        }

        (OpenIdMetadata v1, OpenIdMetadata v2) = await GetMetadataAsync(cancellationToken);
        OpenIdMetadata source = version == "1.0" ? v1 : v2;
        for (int attempt = 0; ; attempt++)
        {
            OpenIdConnectConfiguration configuration = await source.GetAsync(cancellationToken);
            EdgeKvAuthenticationOptions o = options.Value;
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = configuration.Issuer,
                ValidAudiences = o.ValidAudiences,
                IssuerSigningKeys = configuration.SigningKeys,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(notBefore, expires, o.ClockSkew),
                NameClaimType = "oid",
                RoleClaimType = "roles",
            };
            TokenValidationResult result = await handler.ValidateTokenAsync(token, parameters);
            if (result.IsValid) return (result.ClaimsIdentity, null);
            if (attempt == 0 && result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                source.RequestRefresh(); // a key rotated at the issuer: fetch the metadata again, once
                continue;
            }

            string reason = result.Exception switch
            {
                SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenInvalidLifetimeException => "ExpiredAuthenticationToken",
                SecurityTokenInvalidAudienceException => "InvalidAuthenticationTokenAudience",
                SecurityTokenInvalidIssuerException => "InvalidAuthenticationTokenIssuer",
                _ => "InvalidAuthenticationToken",
            };
            LogRejected(logger, reason);
            return (null, reason);
        }
    }

    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value.ToUniversalTime() + skew < now) throw new SecurityTokenExpiredException("The token has expired.");
        if (notBefore is not null && notBefore.Value.ToUniversalTime() - skew > now) throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        return true;
    }

    private async Task<(OpenIdMetadata V1, OpenIdMetadata V2)> GetMetadataAsync(CancellationToken cancellationToken)
    {
        if (metadata is { } ready) return ready;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (metadata is { } built) return built;
            EdgeKvAuthenticationOptions o = options.Value;
            EntraAuthority authority;
            HttpMessageHandler transport;
            if (o.Authority is not null)
            {
                authority = EntraAuthority.FromAuthority(o.Authority);
                transport = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            }
            else
            {
                AzureContext context = await azure.GetAsync(cancellationToken);
                EdgeKvAzureOptions az = context.Factory.Options;
                if (az.Mode == AzureMode.Emulator)
                {
                    if (az.EmulatorEndpoint is null || az.EmulatorCertificateThumbprint is null) throw new InvalidOperationException("Local mode has no emulator to take tokens from.");
                    authority = EntraAuthority.For(az.EmulatorEndpoint, context.TenantId);
                }
                else
                {
                    Guid tenant = o.TenantId ?? az.TenantId ?? throw new InvalidOperationException(
                        "Set EdgeKv:Authentication:Authority (https://login.microsoftonline.com/{tenant}/v2.0), or EdgeKv:Authentication:TenantId for the cloud's authority host.");
                    authority = EntraAuthority.For(context.Factory.Cloud.AuthorityHost, tenant);
                }

                transport = context.Factory.CreateHttpHandler(TimeSpan.FromMinutes(1)); // the emulator's certificate where it is the authority
            }

            http = new HttpClient(transport) { Timeout = o.AuthorityTimeout };
            metadata = (new OpenIdMetadata(authority.V1Metadata, http, o, logger),
                new OpenIdMetadata(authority.V2Metadata, http, o, logger));
            LogAuthority(logger, authority.V1Metadata.AbsoluteUri, authority.V2Metadata.AbsoluteUri);
            return metadata.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        http?.Dispose();
        gate.Dispose();
    }

    [LoggerMessage(7001, LogLevel.Information,
        "Bearer tokens are validated against the OpenID metadata at {V1Address} (v1 tokens) and {V2Address} (v2 tokens).")]
    private static partial void LogAuthority(ILogger logger, string v1Address, string v2Address);

    [LoggerMessage(7002, LogLevel.Information, "Bearer token rejected: {Reason}.")]
    private static partial void LogRejected(ILogger logger, string reason);
}
