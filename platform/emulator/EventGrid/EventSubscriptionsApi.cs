using EdgeKv.Emulator.Arm;
using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// <c>Microsoft.EventGrid/eventSubscriptions</c> (2022-06-15) as an extension resource on a subscription, resource
/// group or
/// resource: create or update (after the webhook validation handshake; a failed handshake is refused and nothing is
/// activated), get, list, delete.
/// </summary>
internal sealed class EventSubscriptionsApi(ArmServices services, WebhookClient webhooks, DeliveryLog log,
    EventDeliverySettings delivery,
    Microsoft.Extensions.Logging.ILogger<EventSubscriptionsApi> logger) : IArmRouteSource
{
    private const string Type = EventGridPublisher.SubscriptionType;

    public IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForExtensionResource(Type, respectsLocks: true, ListAsync, GetAsync, PutAsync, DeleteAsync);

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken) =>
        ArmResponse.List((await services.Resources.ListInCollectionAsync(Type, request["scope"], request.Path,
            cancellationToken)).Select(EventSubscriptionDocument.ToWire));

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync(request.Path, cancellationToken) is { } found
            ? ArmResponse.Ok(EventSubscriptionDocument.ToWire(found))
            : throw new ArmErrorException(404, "ResourceNotFound", $"The Resource '{Type}/{request["name"]}' under resource group '' was not found.");

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var doc = EventSubscriptionDocument.Build(request.Path, request["name"], request["scope"],
            await request.ReadBodyAsync(cancellationToken), delivery.MaxAttempts);
        var url = new Uri((string)doc[EventSubscriptionDocument.EndpointUrlField]!);
        var validation = new EmulatorEvent(Guid.NewGuid().ToString(), WebhookClient.ValidationEventType, string.Empty,
            services.Clock.GetUtcNow(),
            new System.Text.Json.Nodes.JsonObject
            {
                ["validationCode"] = Guid.NewGuid().ToString().ToUpperInvariant(),
                ["validationUrl"] = null,
            },
            request["scope"], request.Path);
        var (status, validated) = await webhooks.ValidateAsync(url, request["name"], validation, request["scope"],
            (string)doc["properties"]!["eventDeliverySchema"]!, cancellationToken);
        log.Add(new Admin.EventDeliveryEntry(services.Clock.GetUtcNow(), request.Path, validation.Id,
            validation.EventType, 1, status, validated ? "Validated" : "ValidationFailed"));
        if (!validated)
        {
            Logs.EventSubscriptionValidationFailed(logger, request.Path, status);
            throw new ArmErrorException(400, "Url validation",
                $"Webhook validation handshake failed for {url.GetLeftPart(UriPartial.Path)}. Http POST request failed with response code {(status == 0 ? "Unknown" : status.ToString(System.Globalization.CultureInfo.InvariantCulture))}. For troublehooting, visit https://aka.ms/esvalidation.");
        }

        await services.Resources.PutAsync(doc, cancellationToken);
        return existing is null ? ArmResponse.Created(EventSubscriptionDocument.ToWire(doc)) : ArmResponse.Ok(EventSubscriptionDocument.ToWire(doc));
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await services.Resources.GetAsync(request.Path, cancellationToken) is null)
        {
            return ArmResponse.NoContent();
        }

        await services.Resources.DeleteTreeAsync(request.Path, cancellationToken);
        return new ArmResponse(200);
    }
}
