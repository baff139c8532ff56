using Microsoft.Extensions.Hosting;

namespace EdgeKv.Emulator.Hosting;

/// <summary>
/// A host lifetime that hooks no signals: the emulator runs inside tests and other hosts, whose SIGTERM and SIGINT are
/// theirs. (The console lifetime would stop the emulator's server on SIGTERM and leave the process running, which is
/// what the standalone emulator used to do.) <c>Program.cs</c> handles the signals when the emulator runs alone.
/// </summary>
internal sealed class EmulatorHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
