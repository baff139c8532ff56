namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// Event Grid delivery defaults: attempts per event and the first retry delay (doubled after each failure).
/// </summary>
internal sealed record EventDeliverySettings(int MaxAttempts, TimeSpan RetryDelay, TimeProvider HostClock);
