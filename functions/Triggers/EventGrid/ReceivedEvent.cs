namespace EdgeKv.Functions.Triggers.EventGrid;

/// <summary>One delivered event, whichever schema carried it (Event Grid or CloudEvents 1.0).</summary>
/// <param name="SystemData">The typed data of an Azure system event (for example
/// <c>ResourceDeleteSuccessEventData</c>), when the type is known.</param>
public sealed record ReceivedEvent(
    string Id,
    string Type,
    string? Subject,
    string? Source,
    DateTimeOffset Time,
    BinaryData? Data,
    object? SystemData,
    EventSchema Schema);

public enum EventSchema
{
    EventGrid,
    CloudEvents,
}
