using System.Diagnostics;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>Runs the device agent as a real process: <c>dotnet edgekv-device.dll --data FOLDER ...</c>.</summary>
internal sealed class DeviceAgent(string dataFolder)
{
    public string DataFolder => dataFolder;

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgekv-device.dll"));
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(dataFolder);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = ChildProcesses.Start(start);
        try
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a bound on a hang, not a timing assertion
            await process.WaitForExitAsync(bound.Token);
            return (process.ExitCode, (await output).Trim(), (await error).Trim());
        }
        finally
        {
            await ChildProcesses.KillAsync(process);
        }
    }

    public async Task<string> RunOkAsync(params string[] args)
    {
        (int code, string output, string error) = await RunAsync(args);
        Assert.AreEqual(0, code, $"edgekv-device {string.Join(' ', args.Take(1))} failed: {error}");
        return output;
    }
}
