using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Admin;
using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// Delivers events to the matching webhook subscriptions (scope at or above the event's resource, event-type and
/// subject filters) in the background, retrying failures with exponential backoff up to a bounded number of attempts
/// (the subscription's <c>retryPolicy.maxDeliveryAttempts</c> or the emulator's default). Statuses Event Grid does not
/// retry (400, 401, 403, 404, 413) drop the event. Every attempt goes to the <see cref="DeliveryLog"/>.
/// </summary>
internal sealed class EventGridPublisher(ResourceRepository resources, WebhookClient webhooks, DeliveryLog log,
    EmulatorClock clock,
    EventDeliverySettings delivery, Microsoft.Extensions.Logging.ILogger<EventGridPublisher> logger) : IAsyncDisposable
{
    public const string SubscriptionType = "Microsoft.EventGrid/eventSubscriptions";
    private static readonly int[] NotRetried = [400, 401, 403, 404, 413];
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Task, bool> running = new();

    /// <summary>
    /// While true (admin API, <c>PUT /admin/eventgrid/delivery</c>), events are lost instead of delivered: each
    /// matching subscription gets a <c>Lost</c> entry in the delivery log and no attempt, as when Event Grid drops an
    /// event.
    /// </summary>
    public bool DeliveryPaused { get; set; }

    public async Task PublishAsync(EmulatorEvent e, CancellationToken cancellationToken)
    {
        foreach (var subscription in await resources.ListAsync(SubscriptionType, cancellationToken))
        {
            if (!Matches(subscription, e))
            {
                continue;
            }

            if (DeliveryPaused)
            {
                log.Add(new EventDeliveryEntry(clock.GetUtcNow(), (string)subscription["id"]!, e.Id, e.EventType, 0, 0,
                    "Lost"));
                continue;
            }

            Track(Task.Run(() => DeliverAsync(subscription, e, stopping.Token), CancellationToken.None));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await Task.WhenAll(running.Keys);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private void Track(Task task)
    {
        running[task] = true;
        task.ContinueWith(t => running.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static bool Matches(JsonObject subscription, EmulatorEvent e)
    {
        var properties = subscription["properties"]!;
        var scope = (string)properties["topic"]!;
        if ((string?)properties["provisioningState"] != "Succeeded" || !ScopePath.IsAtOrBelow(e.ResourceId, scope))
        {
            return false;
        }

        // A service's own events (Key Vault's, whose topic is the vault) reach only subscriptions on that resource (its
        // system topic), as in Azure: a resource group's or subscription's topic carries Resource Manager's events
        // only.
        if (e.Topic is not null && !string.Equals(scope.TrimEnd('/'), e.Topic, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var filter = properties["filter"];
        var types = filter?["includedEventTypes"] as JsonArray;
        return (types is null || types.Count == 0 || types.Any(t => string.Equals((string?)t, e.EventType,
            StringComparison.OrdinalIgnoreCase))) &&
            e.Subject.StartsWith((string?)filter?["subjectBeginsWith"] ?? string.Empty,
                StringComparison.OrdinalIgnoreCase) &&
            e.Subject.EndsWith((string?)filter?["subjectEndsWith"] ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    private async Task DeliverAsync(JsonObject subscription, EmulatorEvent e, CancellationToken cancellationToken)
    {
        var id = (string)subscription["id"]!;
        var properties = subscription["properties"]!;
        var url = new Uri((string)subscription[EventSubscriptionDocument.EndpointUrlField]!);
        var schema = (string?)properties["eventDeliverySchema"] ?? EventSchemas.EventGridSchema;
        var topic = e.Topic ?? (string)properties["topic"]!;
        var maxAttempts = Math.Min((int?)properties["retryPolicy"]?["maxDeliveryAttempts"] ?? delivery.MaxAttempts,
            delivery.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            if (await resources.GetAsync(id, cancellationToken) is null)
            {
                return;
            }

            var status = await webhooks.NotifyAsync(url, (string)subscription["name"]!, e, topic, schema, attempt,
                cancellationToken);
            var outcome = status is >= 200 and < 300 ? "Delivered" : NotRetried.Contains(status) ? "Dropped" : attempt >= maxAttempts ? "Failed" : "Retrying";
            log.Add(new EventDeliveryEntry(clock.GetUtcNow(), id, e.Id, e.EventType, attempt, status, outcome));
            if (outcome != "Delivered")
            {
                Logs.EventDeliveryFailed(logger, e.EventType, e.Id, id, attempt, status, outcome);
            }

            if (outcome != "Retrying")
            {
                return;
            }

            await Task.Delay(delivery.RetryDelay * Math.Pow(2, attempt - 1), delivery.HostClock, cancellationToken);
        }
    }
}
