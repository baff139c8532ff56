using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeKv.Tests.Support;

/// <summary>
/// Azurite (installed by .ci/install under .tools/azurite, or at EDGEKV_AZURITE) as a child process on free loopback
/// ports with its data in a temp folder, so parallel runs never share one. <see cref="StartAsync"/> returns null when
/// it is not installed; callers report that as inconclusive.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process process;
    private readonly TempDirectory data;

    private AzuriteProcess(Process process, TempDirectory data, string connectionString)
    {
        this.process = process;
        this.data = data;
        ConnectionString = connectionString;
    }

    /// <summary>The account's connection string, naming this instance's ports.</summary>
    public string ConnectionString { get; }

    public static async Task<AzuriteProcess?> StartAsync()
    {
        string? executable = Find();
        if (executable is null) return null;
        var data = new TempDirectory("azurite");
        (int blob, int queue, int table) = (FreePort(), FreePort(), FreePort());
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true,
            RedirectStandardError = true };
        foreach (string arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--location", data.Path, "--blobHost", "127.0.0.1",
                "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}",
        })
        {
            info.ArgumentList.Add(arg);
        }

        Process process = ChildProcesses.Start(info);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string connection = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blob}/{Account};" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
        var server = new AzuriteProcess(process, data, connection);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a bound on a hang: node starts slowly on a busy machine
            foreach (int port in new[] { blob, queue, table })
            {
                while (true)
                {
                    if (process.HasExited) throw new InvalidOperationException("Azurite exited during start-up.");
                    try
                    {
                        using var probe = new TcpClient();
                        await probe.ConnectAsync(IPAddress.Loopback, port, bound.Token);
                        break;
                    }
                    catch (SocketException)
                    {
                        await Task.Delay(100, bound.Token); // not listening yet
                    }
                }
            }

            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        ChildProcesses.Kill(process);
        try
        {
            process.WaitForExit(TimeSpan.FromMinutes(1));
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        data.Dispose();
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("EDGEKV_AZURITE") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, ".tools", "azurite", "node_modules", ".bin",
                "azurite");
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EdgeKv.sln"))) break;
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
