using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeKv.Tests.Support;

namespace EdgeKv.Functions.Tests;

/// <summary>The host as an operator runs it: a real process, HelloSequence over HTTP, then a graceful stop.</summary>
[TestClass]
public sealed class HostProcessTests
{
    [TestMethod]
    public async Task Host_process_serves_HelloSequence_and_stops_cleanly_on_SIGTERM()
    {
        using var data = new TempDirectory("hostproc");
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true,
            RedirectStandardError = true, WorkingDirectory = data.Path };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EdgeKv.Local.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (string arg in (string[])["--EdgeKv:Azure:EmulatorPort", "0", "--EdgeKv:Azure:EmulatorIdentityPort",
            "0"]) info.ArgumentList.Add(arg);
        using Process host = ChildProcesses.Start(info);
        var output = new StringBuilder();
        host.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        host.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            await WaitUntilHealthyAsync(http, host);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                await LocalToken.ClientCredentialsAsync(Path.Combine(data.Path, ".data"), "operator"));

            using HttpResponseMessage start = await http.PostAsync("/api/durabletask/orchestrators/HelloSequence",
                new StringContent("""["Tokyo","Seattle"]""", Encoding.UTF8, "application/json"));
            Assert.AreEqual(HttpStatusCode.Accepted, start.StatusCode);
            JsonElement done = await PollAsync(http, start.Headers.Location!);
            Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString());
            Assert.AreEqual("Hello Seattle!", done.GetProperty("output")[1].GetString());
            Assert.IsTrue(File.Exists(Path.Combine(data.Path, ".data", "durabletask-EdgeKvHub.db")),
                "the task hub lives under the default data folder");
        }
        finally
        {
            using Process term = Process.Start("kill",
                ["-TERM", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await term.WaitForExitAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a bound on a hung shutdown, not a timing assertion
            try
            {
                await host.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed below: its exit code then tells the host did not stop on SIGTERM.
            }

            await ChildProcesses.KillAsync(host);
        }

        Assert.AreEqual(0, host.ExitCode, output.ToString());
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a bound on a hang: start-up is slow on a busy machine
        while (true)
        {
            Assert.IsFalse(host.HasExited, "the host exited during start-up");
            try
            {
                using HttpResponseMessage health = await http.GetAsync("/healthz", timeout.Token);
                if (health.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task<JsonElement> PollAsync(HttpClient http, Uri status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a bound on a hang, not a timing assertion
        while (true)
        {
            using HttpResponseMessage response = await http.GetAsync(status, timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            await Task.Delay(50, timeout.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
