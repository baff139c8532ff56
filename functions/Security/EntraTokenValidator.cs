using System.Security.Claims;
using EdgeKv.Activities;
using EdgeKv.Azure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Validates Entra ID bearer tokens: issuer and signing keys from the authority's OpenID metadata (cached, refreshed on
/// schedule and when a token names an unknown key), audience (EdgeKv's app id URI), lifetime on the host's
/// <see cref="TimeProvider"/>. In local mode without an authority it trusts the emulator's token service.
/// </summary>
public sealed partial class EntraTokenValidator(
    IOptions<EdgeKvAuthenticationOptions> options, AzureContextProvider azure, TimeProvider time, ILogger<EntraTokenValidator> logger) : IDisposable
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly SemaphoreSlim gate = new(1, 1);
    private ConfigurationManager<OpenIdConnectConfiguration>? metadata;
    private HttpClient? http;

    /// <summary>The validated identity, or null with the reason (never the token itself).</summary>
    public async Task<(ClaimsIdentity? Identity, string? Failure)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ConfigurationManager<OpenIdConnectConfiguration> manager = await GetMetadataAsync(cancellationToken);
        for (int attempt = 0; ; attempt++)
        {
            OpenIdConnectConfiguration configuration = await manager.GetConfigurationAsync(cancellationToken);
            EdgeKvAuthenticationOptions o = options.Value;
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = configuration.Issuer,
                ValidAudience = o.Audience,
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
                manager.RequestRefresh(); // a key rotated at the issuer: fetch the metadata again, once
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

    private async Task<ConfigurationManager<OpenIdConnectConfiguration>> GetMetadataAsync(CancellationToken cancellationToken)
    {
        if (metadata is not null) return metadata;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (metadata is not null) return metadata;
            EdgeKvAuthenticationOptions o = options.Value;
            Uri authority;
            if (o.Authority is not null)
            {
                authority = o.Authority;
                http = new HttpClient();
            }
            else
            {
                AzureContext context = await azure.GetAsync(cancellationToken);
                EdgeKvAzureOptions az = context.Factory.Options;
                if (az.Mode != AzureMode.Emulator || az.EmulatorEndpoint is null || az.EmulatorCertificateThumbprint is null)
                {
                    throw new InvalidOperationException("EdgeKv:Authentication:Authority is required outside local mode.");
                }

                authority = new Uri($"{az.EmulatorEndpoint.AbsoluteUri.TrimEnd('/')}/{context.TenantId}/v2.0");
                http = new HttpClient(context.Factory.CreateHttpHandler(TimeSpan.FromMinutes(1)));
            }

            string address = authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration";
            metadata = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(http) { RequireHttps = true })
            {
                AutomaticRefreshInterval = o.MetadataRefresh,
                RefreshInterval = o.MetadataMinimumRefresh,
            };
            LogAuthority(logger, address);
            return metadata;
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

    [LoggerMessage(7001, LogLevel.Information, "Bearer tokens are validated against the OpenID metadata at {Address}.")]
    private static partial void LogAuthority(ILogger logger, string address);

    [LoggerMessage(7002, LogLevel.Information, "Bearer token rejected: {Reason}.")]
    private static partial void LogRejected(ILogger logger, string reason);
}
