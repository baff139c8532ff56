namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// Times as stored: UTC ticks. The framework's times are UTC; one whose kind is unspecified (a deserialized
/// DateTime, DateTime.MinValue) is taken as UTC rather than shifted by the machine's time zone.
/// </summary>
internal static class UtcTicks
{
    public static long Of(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime().Ticks : time.Ticks;
}
