using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using EdgeKv.Functions.Device;
using EdgeKv.Records;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Security;

/// <summary>
/// The one authentication scheme: <c>Authorization: Bearer {Entra token}</c> for users and applications, or
/// <c>Authorization: EdgeKvDevice {credential}</c> for a device (matched against the SHA-256 kept in its resource
/// record). No header means anonymous; a bad credential fails with a reason the challenge reports (never the
/// credential). A bearer token that cannot be checked because the token authority is unavailable fails too, marked so
/// the answer is a 503.
/// </summary>
public sealed class EdgeKvAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    EntraTokenValidator tokens, ResourceStore resources)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EdgeKv";
    public const string FailureItem = "EdgeKv.AuthenticationFailure";

    /// <summary>
    /// Set (to the <c>Retry-After</c>, a <see cref="TimeSpan"/>) when the token authority could not be reached.
    /// </summary>
    public const string AuthorityUnavailableItem = "EdgeKv.TokenAuthorityUnavailable";

    public const string AuthorityUnavailableCode = "TokenAuthorityUnavailable";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return AuthenticateResult.NoResult();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            ClaimsIdentity? identity;
            string? failure;
            try
            {
                (identity, failure) = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(),
                    Context.RequestAborted);
            }
            catch (TokenAuthorityUnavailableException unavailable)
            {
                Context.Items[AuthorityUnavailableItem] = unavailable.RetryAfter;
                return Failed(AuthorityUnavailableCode);
            }

            if (identity is null) return Failed(failure ?? "InvalidAuthenticationToken");
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(identity.Claims, "Bearer", "oid", "roles")), SchemeName));
        }

        if (header.StartsWith(DeviceCredentials.Scheme + " ", StringComparison.Ordinal))
        {
            // Looked up by hash (the credential has 256 bits of entropy, so the index reveals nothing), then compared
            // in fixed time.
            string hash = DeviceCredentials.Hash(header[(DeviceCredentials.Scheme.Length + 1)..].Trim());
            if (await resources.FindByDeviceCredentialHashAsync(hash, Context.RequestAborted) is { } record &&
                DeviceCredentials.Match(record, hash) is var match and not CredentialMatch.None)
            {
                // First use of a rotated credential: from now on it is the only one.
                if (match == CredentialMatch.Pending) await DeviceCredentials.PromoteAsync(resources, record.Name, hash,
                    Context.RequestAborted);

                var identity = new ClaimsIdentity([new Claim(EdgeKvCaller.DeviceClaim, record.Name)],
                    DeviceCredentials.Scheme);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            }

            return Failed("InvalidDeviceCredential");
        }

        return Failed("UnsupportedAuthorizationScheme");
    }

    private AuthenticateResult Failed(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
