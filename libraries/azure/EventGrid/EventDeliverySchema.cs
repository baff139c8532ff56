namespace EdgeKv.Azure.EventGrid;

/// <summary>How Event Grid writes events to a subscription's endpoint.</summary>
public enum EventDeliverySchema
{
    /// <summary>The Event Grid schema (<c>EventGridSchema</c>): a JSON array of events.</summary>
    EventGridSchema,

    /// <summary>CloudEvents 1.0 (<c>CloudEventSchemaV1_0</c>).</summary>
    CloudEventSchemaV1_0,
}
