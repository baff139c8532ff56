namespace EdgeKv.Functions.Security;

/// <summary>
/// How callers authenticate (section <c>EdgeKv:Authentication</c>). <see cref="Authority"/> is the Entra issuer, e.g.
/// <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; empty in local mode means the emulator's token service.
/// <see cref="Audience"/> is EdgeKv's application id URI (the <c>aud</c> of its tokens).
/// </summary>
public sealed class EdgeKvAuthenticationOptions
{
    public const string SectionName = "EdgeKv:Authentication";

    public string Audience { get; set; } = "api://edgekv";

    public Uri? Authority { get; set; }

    /// <summary>How often the issuer's OpenID metadata (signing keys) is fetched again; a key it does not know triggers a refresh at most every <see cref="MetadataMinimumRefresh"/>.</summary>
    public TimeSpan MetadataRefresh { get; set; } = TimeSpan.FromHours(12);

    public TimeSpan MetadataMinimumRefresh { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Audience)) throw new InvalidOperationException("EdgeKv:Authentication:Audience is required (EdgeKv's application id URI).");
        if (Authority is { IsAbsoluteUri: false } || (Authority is not null && Authority.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException("EdgeKv:Authentication:Authority must be an absolute https URI.");
        }

        if (MetadataRefresh <= TimeSpan.Zero || MetadataMinimumRefresh <= TimeSpan.Zero) throw new InvalidOperationException("Metadata refresh intervals must be positive.");
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10)) throw new InvalidOperationException("EdgeKv:Authentication:ClockSkew must be 0-10 minutes.");
    }
}
