namespace EdgeKv.Emulator.Hosting;

/// <summary>The emulator's clock: the host clock shifted by an offset that the admin API can move forward.</summary>
public sealed class EmulatorClock(TimeProvider inner) : TimeProvider
{
    private long shiftTicks;

    public TimeSpan Shift
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref shiftTicks));
        set => Interlocked.Exchange(ref shiftTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Shift;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;
}
