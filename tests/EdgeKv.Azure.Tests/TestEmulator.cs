using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// Starts emulators for tests: one shared per assembly, or a private one for tests that move the clock.
/// </summary>
internal static class TestEmulator
{
    public static RunningEmulator Shared { get; private set; } = null!;

    public static async Task<RunningEmulator> StartAsync(Action<EmulatorOptions>? configure = null,
        string? dataFolder = null)
    {
        var options = new EmulatorOptions
        {
            DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "edgekv-emu-tests",
                Guid.NewGuid().ToString("N")),
            LongRunningOperationDuration = TimeSpan.Zero,
            RetryAfter = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return await AzureEmulator.StartAsync(options);
    }

    public static async Task StartSharedAsync() => Shared = await StartAsync();

    public static async Task StopSharedAsync()
    {
        if (Shared is not null)
        {
            var folder = Shared.DataFolder;
            await Shared.DisposeAsync();
            TryDelete(folder);
        }
    }

    public static async Task StopAsync(RunningEmulator? emulator)
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
            TryDelete(emulator.DataFolder);
        }
    }

    /// <summary>Typed-client factory acting as a configured principal of the emulator.</summary>
    public static EdgeKvAzureClientFactory Factory(RunningEmulator emulator,
        string principal = EmulatorPrincipals.EdgeKvService)
    {
        var p = emulator.GetPrincipal(principal);
        return new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator,
            SubscriptionId = emulator.SubscriptionId,
            TenantId = emulator.TenantId,
            EmulatorEndpoint = emulator.Endpoint,
            EmulatorCertificateThumbprint = emulator.CertificateThumbprint,
            ClientId = p.ClientId.ToString(),
            ClientSecret = p.ClientSecret,
            DefaultLocation = emulator.DefaultLocation,
        });
    }

    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(24, prefix.Length + 12)];

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
