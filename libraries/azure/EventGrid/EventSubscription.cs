namespace EdgeKv.Azure.EventGrid;

/// <summary>
/// A webhook event subscription as Resource Manager returns it (the endpoint's query string, e.g. a function key, is
/// never returned).
/// </summary>
public sealed record EventSubscription(
    string Id,
    string Name,
    string Topic,
    string? ProvisioningState,
    string? EndpointBaseUrl,
    IReadOnlyList<string> IncludedEventTypes,
    EventDeliverySchema Schema,
    int? MaxDeliveryAttempts);
