namespace EdgeKv.Functions.Security;

/// <summary>
/// The token authority's OpenID metadata or signing keys could not be fetched (unreachable, untrusted certificate, DNS,
/// timeout, a broken document), and none is cached: no bearer token can be checked until it can.
/// </summary>
public sealed class TokenAuthorityUnavailableException : Exception
{
    public TokenAuthorityUnavailableException()
    {
    }

    public TokenAuthorityUnavailableException(string message)
        : base(message)
    {
    }

    public TokenAuthorityUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(10);
}
