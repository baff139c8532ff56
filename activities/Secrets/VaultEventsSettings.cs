namespace EdgeKv.Activities.Secrets;

/// <summary>
/// Section <c>EdgeKv:VaultEvents</c>: where Event Grid delivers each vault's own events (access-policy changes, secrets
/// nearing or past their expiry). Activation subscribes every new vault when one of these is set; neither set, the
/// sweep alone finds what those events would report.
/// </summary>
public sealed class VaultEventsSettings
{
    public const string SectionName = "EdgeKv:VaultEvents";

    /// <summary>
    /// The webhook's full URL, its key included (<c>.../api/eventgrid?functionName=VaultEvents&amp;code=...</c>).
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// Instead of the URL: a key the webhook accepts; the URL is then the activation's service endpoint's webhook.
    /// </summary>
    public string? WebhookKey { get; set; }

    /// <summary>The name of the event subscription on each vault.</summary>
    public const string SubscriptionName = "edgekv-vault-events";

    /// <summary>
    /// The webhook for an activation whose service endpoint is <paramref name="serviceEndpoint"/>; null when none is
    /// configured.
    /// </summary>
    public Uri? WebhookFor(string serviceEndpoint) =>
        WebhookUrl ?? (string.IsNullOrEmpty(WebhookKey) || !Uri.TryCreate(serviceEndpoint, UriKind.Absolute,
            out Uri? endpoint)
            ? null
            : new Uri($"{endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}/api/eventgrid?functionName=VaultEvents&code={Uri.EscapeDataString(WebhookKey)}"));

    public void Validate()
    {
        if (WebhookUrl is { IsAbsoluteUri: false }) throw new InvalidOperationException("EdgeKv:VaultEvents:WebhookUrl must be absolute.");
        if (WebhookUrl is { } url && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback) throw new InvalidOperationException("EdgeKv:VaultEvents:WebhookUrl must be https.");
    }
}
