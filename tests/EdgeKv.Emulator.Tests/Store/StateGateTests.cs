using EdgeKv.Emulator.Hosting;

namespace EdgeKv.Emulator.Tests.Store;

/// <summary>
/// The state gate: reads share it, a change waits for the reads in progress and holds back reads that come after it.
/// </summary>
[TestClass]
public sealed class StateGateTests
{
    [TestMethod]
    public async Task ReadsShareAndAChangeWaitsForThemToEnd()
    {
        using var gate = new StateGate();
        var first = await gate.EnterReadAsync(CancellationToken.None);
        var second = await gate.EnterReadAsync(CancellationToken.None);

        var write = gate.EnterWriteAsync(CancellationToken.None);
        var laterRead = gate.EnterReadAsync(CancellationToken.None);
        await Task.Delay(50, CancellationToken.None);
        Assert.IsFalse(write.IsCompleted, "a change must wait for the reads in progress");
        Assert.IsFalse(laterRead.IsCompleted, "a read that comes after a waiting change queues behind it");

        first.Dispose();
        Assert.IsFalse(write.IsCompleted);
        second.Dispose();
        var writing = await write.WaitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        await Task.Delay(50, CancellationToken.None);
        Assert.IsFalse(laterRead.IsCompleted, "no read while the change runs");

        writing.Dispose();
        (await laterRead.WaitAsync(TimeSpan.FromMinutes(2), CancellationToken.None)).Dispose();
    }

    [TestMethod]
    public async Task AChangeCancelledWhileWaitingLetsOthersIn()
    {
        using var gate = new StateGate();
        var read = await gate.EnterReadAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var write = gate.EnterWriteAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => write);

        read.Dispose();
        (await gate.EnterWriteAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2),
            CancellationToken.None)).Dispose();
        (await gate.EnterReadAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2),
            CancellationToken.None)).Dispose();
    }
}
