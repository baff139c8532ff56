using EdgeKv.Emulator;

namespace EdgeKv.Emulator.Tests;

/// <summary>One emulator shared by the assembly, plus private ones for tests that need them.</summary>
internal static class TestEmulator
{
    public static RunningEmulator Shared { get; private set; } = null!;

    public static async Task<RunningEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            DataFolder = Path.Combine(Path.GetTempPath(), "edgekv-emu-tests", Guid.NewGuid().ToString("N")),
            LongRunningOperationDuration = TimeSpan.Zero,
            RetryAfter = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return await AzureEmulator.StartAsync(options);
    }

    public static async Task StartSharedAsync() => Shared = await StartAsync();

    public static async Task StopAsync(RunningEmulator? emulator)
    {
        if (emulator is null)
        {
            return;
        }

        await emulator.DisposeAsync();
        try
        {
            Directory.Delete(emulator.DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
