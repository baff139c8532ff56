using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>
/// A throwaway Azurite (installed by .ci/install under .tools/azurite, or at EDGEKV_AZURITE) on free loopback ports
/// with a temp folder, so parallel test runs never share one.
/// </summary>
public sealed class AzuriteServer : IDisposable
{
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _folder;

    private AzuriteServer(Process process, string folder, string connectionString)
    {
        _process = process;
        _folder = folder;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Starts Azurite; null when it is not installed.</summary>
    public static async Task<AzuriteServer?> StartAsync()
    {
        string? executable = Find();
        if (executable is null) return null;
        string folder = Path.Combine(Path.GetTempPath(), $"edgekv-azurite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        int[] ports = [FreePort(), FreePort(), FreePort()];
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--location", folder,
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
        })
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;";
        var server = new AzuriteServer(process, folder, connection);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (int port in ports)
        {
            while (true)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port, bound.Token);
                    break;
                }
                catch (SocketException) when (!bound.IsCancellationRequested && !process.HasExited)
                {
                    await Task.Delay(100, bound.Token);
                }
            }
        }

        return server;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("EDGEKV_AZURITE") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ".tools", "azurite", "node_modules", ".bin", "azurite");
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "EdgeKv.sln"))) break;
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
