using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The EdgeKv host as a real child process (<c>dotnet EdgeKv.Local.dll</c>), which a test can kill hard.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>
    /// The arguments of a host on <paramref name="dataPath"/> that uses an emulator running in the test process, so
    /// Azure's state survives the host being killed; storage accounts are polled every half second.
    /// </summary>
    public static string[] AgainstEmulator(EdgeKv.Emulator.RunningEmulator emulator, string dataPath) =>
    [
        "--EdgeKv:DataPath", dataPath,
        "--EdgeKv:Azure:EmulatorEndpoint", emulator.Endpoint.ToString(),
        "--EdgeKv:Azure:EmulatorCertificateThumbprint", emulator.CertificateThumbprint,
        "--EdgeKv:Azure:EmulatorAdminKey", emulator.AdminKey,
        "--EdgeKv:Activation:StoragePollInterval", "00:00:00.500",
    ];

    public static Task<HostProcess> StartAsync(string workingDirectory,
        params string[] args) => StartOnPortAsync(FreePort(), workingDirectory, args);

    /// <summary>Starts the host on a given port (a restarted host where its devices already know it).</summary>
    public static Task<HostProcess> StartOnPortAsync(int port, string workingDirectory, params string[] args) =>
        StartOnPortAsync(port, workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>
    /// Starts the host with app settings in its environment, as the Functions platform gives them to the worker.
    /// </summary>
    public static Task<HostProcess> StartWithEnvironmentAsync(string workingDirectory,
        IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartOnPortAsync(FreePort(), workingDirectory, environment, args);

    private static async Task<HostProcess> StartOnPortAsync(int port, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true,
            RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach ((string name, string value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EdgeKv.Local.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (string arg in args) info.ArgumentList.Add(arg);
        var host = new HostProcess(ChildProcesses.Start(info), new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await host.WaitUntilHealthyAsync(TimeSpan.FromMinutes(5)); // a bound on a hang: start-up is slow on a busy machine
            return host;
        }
        catch
        {
            // A host that never became healthy is the caller's to dispose of only once returned: kill it here, or it
            // outlives the test run.
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = limit };
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < limit)
        {
            Assert.IsFalse(process.HasExited, "the host exited during start-up: " + Output);
            try
            {
                using HttpResponseMessage health = await http.GetAsync("/healthz");
                if (health.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the host did not answer /healthz within {limit.TotalSeconds:0} s: {Output}");
    }

    /// <summary>SIGKILL to the host and anything it started: no shutdown, no flush, nothing graceful.</summary>
    public Task KillAsync() => ChildProcesses.KillAsync(process);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
