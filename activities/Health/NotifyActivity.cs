using System.Net.Http.Json;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Posts a <see cref="Notification"/> as JSON to the configured webhook (<c>EdgeKv:Notifications:WebhookUrl</c>); no
/// URL configured, nothing sent. A failed post throws, so the orchestrator's retry policy sends it again.
/// </summary>
[DurableTask(Name)]
public sealed class NotifyActivity(NotificationTarget target, IHttpClientFactory http,
    ILogger<NotifyActivity> logger) : TaskActivity<Notification, bool>
{
    public const string Name = "Notify";

    public override async Task<bool> RunAsync(TaskActivityContext context, Notification input)
    {
        if (target.WebhookUrl is null) return false;
        using HttpClient client = http.CreateClient(Name);
        using HttpResponseMessage response = await client.PostAsJsonAsync(target.WebhookUrl, input,
            context.CancellationToken);
        response.EnsureSuccessStatusCode();
        Logs.Notified(logger, input.Kind, input.Resource ?? "(fleet)", input.Alerts.Count);
        return true;
    }
}

/// <summary>Where notifications go (an app setting); null sends none.</summary>
public sealed record NotificationTarget(Uri? WebhookUrl);
