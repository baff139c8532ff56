using System.Diagnostics;
using System.Reflection;
using EdgeKv.Tests.Support;

namespace EdgeKv.Infra.Tests;

/// <summary>
/// The real Bicep CLI (restored from NuGet like any package), run on the templates under infra/.
/// </summary>
internal static class BicepCli
{
    /// <summary>The repository's root (the folder that holds EdgeKv.sln), where the CLI runs.</summary>
    public static readonly string Root = FindRoot();

    /// <summary>The path of a template under infra/.</summary>
    public static string Template(string file) => Path.Combine(Root, "infra", file);

    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        string cli = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepCli").Value!;
        if (!OperatingSystem.IsWindows())
        {
            // NuGet does not keep the execute bit.
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(cli)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Root,
        };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["BICEP_TELEMETRY_OPT_OUT"] = "true"; // no network here, and none needed
        using Process process = ChildProcesses.Start(start);
        try
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            // A bound on a hang, not a timing assertion.
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(bound.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            await ChildProcesses.KillAsync(process);
        }
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeKv.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("EdgeKv.sln not found above the test's folder.");
    }
}
