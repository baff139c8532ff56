using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EdgeKv.Functions.Security;

/// <summary>
/// One OpenID metadata document and its signing keys, through IdentityModel's <see cref="ConfigurationManager{T}"/>
/// (cached, refreshed on schedule and on request, the last good copy kept when a refresh fails). When no copy can be
/// had, the failure becomes a <see cref="TokenAuthorityUnavailableException"/>, logged once when the outage begins and
/// once when it ends (the address and the transport's reason; nothing of the caller's token).
/// </summary>
public sealed partial class OpenIdMetadata
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> manager;
    private readonly TimeSpan retryAfter;
    private readonly ILogger logger;
    private int unavailable;

    public OpenIdMetadata(Uri address, HttpClient http, EdgeKvAuthenticationOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        Address = address;
        retryAfter = options.AuthorityRetryAfter;
        this.logger = logger;
        manager = new ConfigurationManager<OpenIdConnectConfiguration>(address.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(http) { RequireHttps = true })
        {
            AutomaticRefreshInterval = options.MetadataRefresh,
            RefreshInterval = options.MetadataMinimumRefresh,
        };
    }

    public Uri Address { get; }

    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            // The manager throws only when it holds no copy at all (a failed refresh keeps the last good one).
            if (Interlocked.Exchange(ref unavailable, 1) == 0) LogUnavailable(logger, Address.AbsoluteUri,
                Describe(ex));
            throw new TokenAuthorityUnavailableException($"The token authority's OpenID metadata at {Address.AbsoluteUri} could not be fetched.", ex) { RetryAfter = retryAfter };
        }

        if (Interlocked.Exchange(ref unavailable, 0) == 1) LogAvailable(logger, Address.AbsoluteUri);
        return configuration;
    }

    /// <summary>
    /// A token named a key the cached document lacks: fetch it again (at most every <see
    /// cref="EdgeKvAuthenticationOptions.MetadataMinimumRefresh"/>).
    /// </summary>
    public void RequestRefresh() => manager.RequestRefresh();

    /// <summary>
    /// The transport's reasons, innermost last (IdentityModel's own wrappers left out: they repeat them).
    /// </summary>
    private static string Describe(Exception error)
    {
        var reasons = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or AuthenticationException or TimeoutException or TaskCanceledException or IOException)
            {
                reasons.Add($"{e.GetType().Name}: {e.Message}");
            }
        }

        return reasons.Count > 0 ? string.Join(" <- ", reasons) : error.GetType().Name;
    }

    [LoggerMessage(7003, LogLevel.Warning,
        "The token authority cannot be reached: no OpenID metadata from {Address} ({Reason}). Bearer tokens are answered 503 until it can.")]
    private static partial void LogUnavailable(ILogger logger, string address, string reason);

    [LoggerMessage(7004, LogLevel.Information,
        "The token authority is reachable again: OpenID metadata from {Address}.")]
    private static partial void LogAvailable(ILogger logger, string address);
}
