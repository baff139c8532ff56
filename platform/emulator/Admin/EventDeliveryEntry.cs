namespace EdgeKv.Emulator.Admin;

/// <summary>
/// One Event Grid delivery attempt: when (emulator clock), the subscription, the event (id and type; the type is
/// <c>Microsoft.EventGrid.SubscriptionValidationEvent</c> for the handshake), the attempt number, the receiver's HTTP
/// status (0 when it could not be reached) and the outcome: <c>Delivered</c>, <c>Retrying</c>, <c>Dropped</c> (a status
/// Event Grid does not retry), <c>Failed</c> (attempts exhausted), <c>Validated</c> or <c>ValidationFailed</c>.
/// </summary>
public sealed record EventDeliveryEntry(DateTimeOffset Time, string SubscriptionId, string EventId, string EventType,
    int Attempt, int Status, string Outcome);
