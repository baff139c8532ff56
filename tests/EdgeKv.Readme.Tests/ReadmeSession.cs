using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeKv.Tests.Support;

namespace EdgeKv.Readme.Tests;

/// <summary>
/// Runs README's shell blocks as a new user would, in a fresh folder that stands in for the repository root: its
/// top-level entries are links to the repository's (so <c>functions/bin/...</c>, <c>host.json</c> and the other paths
/// README names resolve), while what the blocks write (<c>.data</c>, <c>.device</c>, <c>emulator.pem</c>,
/// <c>local.settings.json</c>) stays in the folder. The host block runs in the background; the other blocks run in
/// order in one bash session (variables carry over) with <c>set -e</c>.
/// </summary>
internal sealed class ReadmeSession : IAsyncDisposable
{
    public const string BlockMarker = "@@readme-block ";
    public const string DoneMarker = "@@readme-done@@";

    private readonly string repository;
    private readonly string folder;
    private readonly int port = FreePort();
    private readonly StringBuilder hostOutput = new();
    private Process? host;

    public ReadmeSession(string repository, string folder)
    {
        this.repository = repository;
        this.folder = folder;
        foreach (string entry in Directory.EnumerateFileSystemEntries(repository))
        {
            string name = Path.GetFileName(entry);
            if (name.StartsWith('.') || name is "local.settings.json" or "TestResults" or "emulator.pem" or "publish") continue;
            File.CreateSymbolicLink(Path.Combine(folder, name), entry);
        }

        File.WriteAllText(Path.Combine(folder, ".readme-test.sh"), Preamble);
    }

    public int Port => port;

    public string HostOutput
    {
        get
        {
            lock (hostOutput) return hostOutput.ToString();
        }
    }

    /// <summary>
    /// What every shell gets first. Commands that build (dotnet build/run/publish/test) get real paths instead of the
    /// folder's links, so MSBuild builds the repository as it is (a linked path would be a second copy of every
    /// project, restored and built again); the program still runs in this folder. curl fails on an HTTP error answer,
    /// so a block whose call is refused (a missing token, a wrong path) fails instead of printing the error and going
    /// on.
    /// </summary>
    private string Preamble => $$"""
        set -e
        README_TEST_REPOSITORY='{{repository}}'
        dotnet() {
          case "${1:-}" in
            build|publish|run|test|restore|clean)
              local verb="$1" a has_path=""; shift
              local args=("$verb")
              for a in "$@"; do
                if [ "${a#-}" = "$a" ] && [ -e "$a" ]; then args+=("$(realpath "$a")"); has_path=1; else args+=("$a"); fi
              done
              if [ -z "$has_path" ] && [ "$verb" != run ] && [ -e EdgeKv.sln ]; then args+=("$README_TEST_REPOSITORY/EdgeKv.sln"); fi
              command dotnet "${args[@]}";;
            *) command dotnet "$@";;
          esac
        }
        curl() { command curl --fail-with-body "$@"; }

        """;

    /// <summary>Starts the host block in the background and waits until <c>/healthz</c> answers 200.</summary>
    public async Task StartHostAsync(ReadmeBlock block, CancellationToken cancellationToken)
    {
        host = Start(Path.Combine(folder, ".readme-test-host.sh"),
            "source ./.readme-test.sh\n" + Substitute(block.Code));
        host.OutputDataReceived += (_, e) => { lock (hostOutput) hostOutput.AppendLine(e.Data); };
        host.ErrorDataReceived += (_, e) => { lock (hostOutput) hostOutput.AppendLine(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            if (host.HasExited) throw new InvalidOperationException($"{block.Describe()} exited ({host.ExitCode}) before the host answered /healthz:\n{Tail(HostOutput)}");
            try
            {
                using HttpResponseMessage health = await http.GetAsync(new Uri($"http://localhost:{port}/healthz"),
                    cancellationToken);
                if (health.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Still building or starting.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One slow answer; ask again.
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>
    /// Runs the blocks in one bash session; returns its exit code and output (with a marker before each block).
    /// </summary>
    public async Task<(int? ExitCode, string Output)> RunAsync(IReadOnlyList<ReadmeBlock> blocks,
        CancellationToken cancellationToken)
    {
        // What a block starts in the background ends with the session (it would outlive it, out of the process tree).
        var script = new StringBuilder("exec 2>&1\ntrap 'status=$?; jobs -p | xargs -r kill 2>/dev/null; exit $status' EXIT\nsource ./.readme-test.sh\n");
        foreach (ReadmeBlock block in blocks)
        {
            string file = $".readme-test-block-{block.Number}.sh";
            File.WriteAllText(Path.Combine(folder, file), Substitute(block.Code));
            script.Append(FormattableString.Invariant($"printf '\\n{BlockMarker}{block.Number}@@\\n'\nsource ./{file}\n"));
        }

        script.Append(FormattableString.Invariant($"printf '\\n{DoneMarker}\\n'\n"));
        using Process session = Start(Path.Combine(folder, ".readme-test-session.sh"), script.ToString());
        var output = new StringBuilder();
        session.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        session.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        session.BeginOutputReadLine();
        session.BeginErrorReadLine();
        try
        {
            await session.WaitForExitAsync(cancellationToken);
            await session.WaitForExitAsync(CancellationToken.None); // drains the redirected output
        }
        catch (OperationCanceledException)
        {
            await ChildProcesses.KillAsync(session);
            lock (output) return (null, output.ToString());
        }
        finally
        {
            await ChildProcesses.KillAsync(session);
        }

        lock (output) return (session.ExitCode, output.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (host is null) return;
        await ChildProcesses.KillAsync(host);
        host.Dispose();
    }

    public static string Tail(string text, int lines = 60)
    {
        string[] all = text.TrimEnd().Split('\n');
        return all.Length <= lines ? text : "...\n" + string.Join('\n', all[^lines..]);
    }

    /// <summary>
    /// README's fixed port becomes a free one, so the test never collides with another run or a user's host.
    /// </summary>
    private string Substitute(string code) => code.Replace("localhost:7071",
        FormattableString.Invariant($"localhost:{port}"), StringComparison.Ordinal);

    private Process Start(string scriptPath, string script)
    {
        File.WriteAllText(scriptPath, script);
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true,
            RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add(scriptPath);

        // The test runner's own MSBuild and test-platform variables would steer the blocks' dotnet commands.
        foreach (string name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST",
                StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM",
                    StringComparison.OrdinalIgnoreCase) || name.Equals("DOTNET_HOST_PATH",
                        StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(name);
            }
        }

        info.Environment["ASPNETCORE_URLS"] = FormattableString.Invariant($"http://localhost:{port}");
        // The in-process emulator's own ports (10443, 10080 by default) would collide with other runs: free ones.
        info.Environment["EdgeKv__Azure__EmulatorPort"] = "0";
        info.Environment["EdgeKv__Azure__EmulatorIdentityPort"] = "0";
        // Builds leave no compiler server or MSBuild nodes behind.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return ChildProcesses.Start(info);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
