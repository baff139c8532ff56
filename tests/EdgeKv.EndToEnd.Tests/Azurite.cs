using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeKv.Tests.Shared;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Azurite (the Azure Storage emulator, installed by .ci/install into .tools/azurite) as a child process on free ports
/// with its data in a temp folder; the connection string names those ports. Tests that need it are inconclusive without it.
/// </summary>
internal sealed class Azurite : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly TempDirectory _data;

    private Azurite(Process process, TempDirectory data, string connectionString)
    {
        _process = process;
        _data = data;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        string? bin = FindBinary();
        if (bin is null) Assert.Inconclusive("Azurite is not installed (.ci/install puts it in .tools/azurite).");
        var data = new TempDirectory("azurite");
        (int blob, int queue, int table) = (FreePort(), FreePort(), FreePort());
        var info = new ProcessStartInfo(bin!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--silent", "--location", data.Path, "--skipApiVersionCheck", "--loose", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1",
                     "--tableHost", "127.0.0.1", "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}" })
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (int port in new[] { blob, queue, table })
        {
            while (true)
            {
                Assert.IsFalse(process.HasExited, "Azurite exited during start-up");
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(100, timeout.Token); // not listening yet
                }
            }
        }

        string cs = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blob}/{Account};" +
                    $"QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
        return new Azurite(process, data, cs);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _data.Dispose();
    }

    private static string? FindBinary()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ".tools", "azurite", "node_modules", ".bin", "azurite");
            if (File.Exists(candidate)) return candidate;
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
