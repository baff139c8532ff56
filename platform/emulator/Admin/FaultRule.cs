namespace EdgeKv.Emulator.Admin;

/// <summary>
/// A fault to inject on requests whose path matches <paramref name="PathPattern"/> (a regular expression,
/// case-insensitive) and, when set, whose method is <paramref name="Method"/>. Each matching request is hit with
/// probability <paramref name="Rate"/> (seeded random numbers, so runs repeat); <paramref name="Count"/> limits
/// how many times the rule fires.
/// </summary>
public sealed record FaultRule(
    string PathPattern,
    FaultKind Kind,
    double Rate = 1.0,
    string? Method = null,
    int RetryAfterSeconds = 0,
    int LatencyMilliseconds = 0,
    int? Count = null)
{
    public string? Id { get; init; }

    /// <summary>How many requests the rule has hit so far (in the admin API's listing).</summary>
    public int Fired { get; init; }
}
