using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The standalone emulator as a process of its own (<c>dotnet EdgeKv.Emulator.dll</c>), on free ports.
/// </summary>
internal sealed partial class EmulatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private EmulatorProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Endpoint { get; private set; } = null!;

    public Uri IdentityEndpoint { get; private set; } = null!;

    public Guid TenantId { get; private set; }

    public string SubscriptionId { get; private set; } = null!;

    public string Thumbprint { get; private set; } = null!;

    public required string AdminKey { get; init; }

    public required string DataFolder { get; init; }

    /// <summary>
    /// The self-signed certificate it serves, as PEM: what a client that trusts it by file (SSL_CERT_FILE) is given.
    /// </summary>
    public string CertificatePem => System.Security.Cryptography.X509Certificates.X509CertificateLoader
        .LoadPkcs12FromFile(Path.Combine(DataFolder, "emulator-cert.pfx"), password: null).ExportCertificatePem();

    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    public static async Task<EmulatorProcess> StartAsync(string dataFolder, params string[] extraArgs)
    {
        string adminKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true,
            RedirectStandardError = true };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "EdgeKv.Emulator.dll"), "--port", "0",
            "--identity-port", "0",
            "--data", dataFolder, "--admin-key", adminKey, .. extraArgs])
        {
            info.ArgumentList.Add(arg);
        }

        var emulator = new EmulatorProcess(ChildProcesses.Start(info)) { AdminKey = adminKey, DataFolder = dataFolder };
        try
        {
            var elapsed = Stopwatch.StartNew();
            while (!emulator.TryReadBanner())
            {
                Assert.IsFalse(emulator.process.HasExited, "the emulator exited: " + emulator.Output);
                // A bound on a hang: start-up is slow on a busy machine.
                if (elapsed.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("the emulator printed no endpoint within 5 minutes: " + emulator.Output);
                await Task.Delay(100);
            }

            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.KillAsync(process);
        process.Dispose();
    }

    private bool TryReadBanner()
    {
        string text = Output;
        if (!text.Contains("Admin key:", StringComparison.Ordinal)) return false;
        Endpoint = new Uri(Line(text, "Endpoint"));
        IdentityEndpoint = new Uri(Line(text, "Identity endpoint"));
        TenantId = Guid.Parse(Line(text, "Tenant"));
        SubscriptionId = Line(text, "Subscription");
        Thumbprint = Line(text, "Thumbprint");
        return true;
    }

    private static string Line(string text, string label) =>
        Regex.Match(text, $@"^{Regex.Escape(label)}:\s+(?<value>\S+)\s*$",
            RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Groups["value"].Value;
}
