namespace EdgeKv.Functions.Security;

/// <summary>
/// How callers authenticate (section <c>EdgeKv:Authentication</c>). EdgeKv accepts Entra ID access tokens of both
/// versions: v1 (issuer <c>https://sts.windows.net/{tenant}/</c>, audience the App ID URI) and v2 (issuer
/// <c>https://login.microsoftonline.com/{tenant}/v2.0</c>, audience the client id), each checked against its own OpenID
/// metadata. <see cref="Authority"/> is the tenant's authority, e.g.
/// <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; empty means the cloud's authority host
/// (<c>EdgeKv:Azure:Cloud</c>, <c>EdgeKv:Azure:CustomCloud:AuthorityHost</c>) with <see cref="TenantId"/> (or
/// <c>EdgeKv:Azure:TenantId</c>), or in local mode the emulator's token service.
/// </summary>
public sealed class EdgeKvAuthenticationOptions
{
    public const string SectionName = "EdgeKv:Authentication";

    /// <summary>EdgeKv's App ID URI (the <c>aud</c> of v1 tokens, and of the emulator's).</summary>
    public string Audience { get; set; } = "api://edgekv";

    /// <summary>The client id of EdgeKv's app registration (the <c>aud</c> of v2 tokens); optional.</summary>
    public string? ClientId { get; set; }

    public Uri? Authority { get; set; }

    /// <summary>The tenant whose tokens are accepted, when <see cref="Authority"/> is not given.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>
    /// How often the issuer's OpenID metadata (signing keys) is fetched again; a key it does not know triggers a
    /// refresh at most every <see cref="MetadataMinimumRefresh"/>.
    /// </summary>
    public TimeSpan MetadataRefresh { get; set; } = TimeSpan.FromHours(12);

    public TimeSpan MetadataMinimumRefresh { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one fetch of the OpenID metadata or signing keys may take before the authority counts as unreachable.
    /// </summary>
    public TimeSpan AuthorityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>Retry-After</c> of the 503 answered while the token authority cannot be reached.</summary>
    public TimeSpan AuthorityRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The audiences a token may carry: the App ID URI, and the client id when known.</summary>
    public IReadOnlyList<string> ValidAudiences =>
        string.IsNullOrWhiteSpace(ClientId) ? [Audience.Trim()] : [Audience.Trim(), ClientId.Trim()];

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Audience)) throw new InvalidOperationException("EdgeKv:Authentication:Audience is required (EdgeKv's application id URI).");
        if (ClientId is { Length: > 0 } clientId && !Guid.TryParse(clientId, out _))
        {
            throw new InvalidOperationException("EdgeKv:Authentication:ClientId must be the app registration's client id (a GUID).");
        }

        if (Authority is { IsAbsoluteUri: false } || (Authority is not null && Authority.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException("EdgeKv:Authentication:Authority must be an absolute https URI.");
        }

        if (MetadataRefresh <= TimeSpan.Zero || MetadataMinimumRefresh <= TimeSpan.Zero) throw new InvalidOperationException("Metadata refresh intervals must be positive.");
        if (AuthorityTimeout <= TimeSpan.Zero || AuthorityTimeout > TimeSpan.FromMinutes(2)) throw new InvalidOperationException("EdgeKv:Authentication:AuthorityTimeout must be up to 2 minutes.");
        if (AuthorityRetryAfter < TimeSpan.FromSeconds(1) || AuthorityRetryAfter > TimeSpan.FromHours(1)) throw new InvalidOperationException("EdgeKv:Authentication:AuthorityRetryAfter must be 1 second to 1 hour.");
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10)) throw new InvalidOperationException("EdgeKv:Authentication:ClockSkew must be 0-10 minutes.");
    }
}
