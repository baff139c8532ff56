using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using EdgeKv.Emulator.Hosting;
using EdgeKv.Tests.Support;

namespace EdgeKv.Emulator.Tests;

/// <summary>
/// The standalone emulator (the built EdgeKv.Emulator.dll, as <c>dotnet run --project platform/emulator</c> runs it)
/// stops on SIGTERM.
/// </summary>
[TestClass]
public sealed class GracefulExitTests
{
    /// <summary>Sends SIGTERM to the process by id, as systemd, containers and CI stop a process.</summary>
    private static async Task<int> TerminateAsync(Process target)
    {
        using var kill = Process.Start("kill",
            ["-TERM", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    [TestMethod]
    public async Task Sigterm_ExitsWithPortsFreed_AndARestartOnTheSameFolderKeepsTheState()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Inconclusive("POSIX signals only.");
        }

        var data = Path.Combine(Path.GetTempPath(), "edgekv-emu-sigterm", Guid.NewGuid().ToString("N"));
        try
        {
            string vaultUri;
            var group = $"rg-sigterm-{Guid.NewGuid():N}"[..20];
            using (var first = await Standalone.StartAsync(data))
            {
                using var http = first.Client();
                var token = await first.TokenAsync(http);
                Assert.AreEqual(HttpStatusCode.Created,
                    (await first.SendAsync(http, HttpMethod.Put,
                        $"/subscriptions/{first.Subscription}/resourceGroups/{group}?api-version=2025-04-01", token,
                        "{\"location\":\"westus2\"}")).Status);
                var vaultName = $"kv{Guid.NewGuid():N}"[..18];
                var (status, vault) = await first.SendAsync(http, HttpMethod.Put,
                    $"/subscriptions/{first.Subscription}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{vaultName}?api-version=2026-02-01", token,
                    $"{{\"location\":\"westus2\",\"properties\":{{\"tenantId\":\"{first.Tenant}\",\"sku\":{{\"family\":\"A\",\"name\":\"standard\"}},\"accessPolicies\":[]}}}}");
                Assert.AreEqual(HttpStatusCode.Created, status);
                vaultUri = (string)vault!["properties"]!["vaultUri"]!;

                Assert.AreEqual(0, await TerminateAsync(first.Process));
                using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a bound on a hang, not a timing assertion
                await first.Process.WaitForExitAsync(bound.Token);
                Assert.AreEqual(0, first.Process.ExitCode, first.Output.ToString());
                Assert.IsTrue(IsFree(first.Port), "the HTTPS port is still bound");
                Assert.IsTrue(IsFree(new Uri(vaultUri).Port), "the vault's port is still bound");
            }

            using var second = await Standalone.StartAsync(data);
            using var client = second.Client();
            var again = await second.TokenAsync(client);
            Assert.AreEqual(HttpStatusCode.OK,
                (await second.SendAsync(client, HttpMethod.Get,
                    $"/subscriptions/{second.Subscription}/resourceGroups/{group}?api-version=2025-04-01",
                    again)).Status);
            var (_, list) = await second.SendAsync(client, HttpMethod.Get,
                $"/subscriptions/{second.Subscription}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01", again);
            Assert.AreEqual(vaultUri, (string)list!["value"]![0]!["properties"]!["vaultUri"]!,
                "the vault keeps its port across the restart");
            Assert.AreEqual(0, await TerminateAsync(second.Process));
            using var secondBound = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a bound on a hang, not a timing assertion
            await second.Process.WaitForExitAsync(secondBound.Token);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>One standalone emulator process on free ports, with what it printed at start.</summary>
    private sealed class Standalone : IDisposable
    {
        private Standalone(Process process, StringBuilder output, Dictionary<string, string> banner)
        {
            Process = process;
            Output = output;
            Endpoint = new Uri(banner["Endpoint"]);
            Thumbprint = banner["Thumbprint"];
            Tenant = banner["Tenant"];
            Subscription = banner["Subscription"];
        }

        public Process Process { get; }

        public StringBuilder Output { get; }

        public Uri Endpoint { get; }

        public int Port => Endpoint.Port;

        public string Thumbprint { get; }

        public string Tenant { get; }

        public string Subscription { get; }

        public static async Task<Standalone> StartAsync(string data)
        {
            var dll = typeof(AzureEmulator).Assembly.Location;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { dll, "--port", "0", "--identity-port", "0", "--data", data, "--admin-key", "k",
                "--lro-seconds", "0" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = ChildProcesses.Start(start);
            var output = new StringBuilder();
            var banner = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a bound on a hang: start-up is slow on a busy machine
                while (!banner.ContainsKey("Admin key") && await process.StandardOutput.ReadLineAsync(bound.Token) is { } line)
                {
                    output.AppendLine(line);
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && !line.StartsWith("info", StringComparison.Ordinal))
                    {
                        banner[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                _ = process.StandardOutput.ReadToEndAsync().ContinueWith(t => output.Append(t.Result),
                    TaskScheduler.Default);
                _ = process.StandardError.ReadToEndAsync();
                if (!banner.ContainsKey("Endpoint"))
                {
                    throw new AssertFailedException($"the emulator did not start:\n{output}");
                }

                return new Standalone(process, output, banner);
            }
            catch
            {
                ChildProcesses.Kill(process);
                process.Dispose();
                throw;
            }
        }

        public HttpClient Client() => new(CertificateTrust.CreateHandler(Thumbprint)) { BaseAddress = Endpoint };

        public async Task<string> TokenAsync(HttpClient http)
        {
            var principal = EmulatorPrincipals.CreateDefaults().First(p => p.Name == EmulatorPrincipals.EdgeKvService);
            using var response = await http.PostAsync($"/{Tenant}/oauth2/v2.0/token",
                new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = principal.ClientId.ToString(),
                ["client_secret"] = principal.ClientSecret,
                ["scope"] = "https://management.azure.com/.default",
            }));
            response.EnsureSuccessStatusCode();
            return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
        }

        public async Task<(HttpStatusCode Status, JsonNode? Json)> SendAsync(HttpClient http, HttpMethod method,
            string path, string token, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
        }

        public void Dispose()
        {
            ChildProcesses.Kill(Process);
            Process.Dispose();
        }
    }
}
