namespace EdgeKv.Azure;

/// <summary>
/// Requests to Azure counted by plane and kind, for one unit of work (a sweep's page): Resource Manager reads are what
/// its per-subscription, per-principal read budget counts, data-plane reads what a vault's own limit counts. Every
/// attempt counts (a retry after a 429 spends the budget again). Opened with <see cref="Begin"/>; the clients this
/// library builds add to the count of the flow they run in.
/// </summary>
public sealed class AzureCallCount
{
    private static readonly AsyncLocal<AzureCallCount?> CurrentCount = new();
    private long armReads;
    private long armWrites;
    private long dataPlaneReads;
    private long dataPlaneWrites;

    /// <summary>The count of the current flow, if one was begun.</summary>
    public static AzureCallCount? Current => CurrentCount.Value;

    public long ArmReads => Interlocked.Read(ref armReads);

    public long ArmWrites => Interlocked.Read(ref armWrites);

    public long DataPlaneReads => Interlocked.Read(ref dataPlaneReads);

    public long DataPlaneWrites => Interlocked.Read(ref dataPlaneWrites);

    /// <summary>
    /// Starts counting the calls of the current asynchronous flow (and what it starts) in a new count.
    /// </summary>
    public static AzureCallCount Begin()
    {
        var count = new AzureCallCount();
        CurrentCount.Value = count;
        return count;
    }

    internal void Add(AzurePlane plane, bool read)
    {
        switch (plane, read)
        {
            case (AzurePlane.ResourceManager, true): Interlocked.Increment(ref armReads); break;
            case (AzurePlane.ResourceManager, false): Interlocked.Increment(ref armWrites); break;
            case (AzurePlane.Data, true): Interlocked.Increment(ref dataPlaneReads); break;
            default: Interlocked.Increment(ref dataPlaneWrites); break;
        }
    }
}
