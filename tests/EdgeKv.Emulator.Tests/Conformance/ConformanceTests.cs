using System.Diagnostics;
using System.Text.RegularExpressions;
using EdgeKv.Tests.Support;

namespace EdgeKv.Emulator.Tests.Conformance;

/// <summary>
/// The Azure SDK for JavaScript (written by others than EdgeKv) against the emulator, at the newest versions npm serves
/// (tests/conformance/js-current) and at those of late 2024 (js-2024): node's test runner runs
/// tests/conformance/tests/*.test.mjs with the emulator's endpoint, certificate and a principal in its environment;
/// every node test must pass. <c>.ci/install</c> runs <c>npm ci</c> in both folders.
/// </summary>
[TestClass]
public sealed partial class ConformanceTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("js-current")]
    [DataRow("js-2024")]
    public async Task JavaScriptSdk_AllConformanceTestsPass(string generation)
    {
        var root = Path.Combine(ApiVersionTableTests.RepositoryRoot(), "tests", "conformance");
        var folder = Path.Combine(root, generation);
        Assert.IsTrue(Directory.Exists(Path.Combine(folder, "node_modules", "@azure")),
            $"{folder}/node_modules is missing: run .ci/install (npm ci in tests/conformance/js-current and js-2024)");

        var emulator = await TestEmulator.StartAsync();
        try
        {
            await RunAsync(generation, root, folder, emulator);
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }

    private async Task RunAsync(string generation, string root, string folder, RunningEmulator emulator)
    {
        var certificate = Path.Combine(emulator.DataFolder, "emulator-cert.pem");
        await File.WriteAllTextAsync(certificate, emulator.Certificate.ExportCertificatePem());
        var principal = emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService);

        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true,
            RedirectStandardError = true };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("--test-reporter=tap");
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tests"),
            "*.test.mjs").Order(StringComparer.Ordinal))
        {
            start.ArgumentList.Add(file);
        }

        start.Environment["EMULATOR_ENDPOINT"] = emulator.Endpoint.AbsoluteUri;
        start.Environment["EMULATOR_TENANT"] = emulator.TenantId.ToString();
        start.Environment["EMULATOR_SUBSCRIPTION"] = emulator.SubscriptionId;
        start.Environment["EMULATOR_CLIENT_ID"] = principal.ClientId.ToString();
        start.Environment["EMULATOR_CLIENT_SECRET"] = principal.ClientSecret;
        start.Environment["EMULATOR_OBJECT_ID"] = principal.ObjectId.ToString();
        start.Environment["NODE_EXTRA_CA_CERTS"] = certificate;

        // node --test runs each file in a node process of its own: on every path (a hung run, a failed assertion), the
        // whole tree is ended, never left running after the test.
        using var node = ChildProcesses.Start(start);
        try
        {
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            // A bound on a hung run, not a timing assertion.
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await node.WaitForExitAsync(bound.Token);
            Check(generation, node.ExitCode, await output, await errors);
        }
        finally
        {
            await ChildProcesses.KillAsync(node);
        }
    }

    private void Check(string generation, int exitCode, string tap, string errors)
    {
        var pass = Count(tap, "pass");
        var fail = Count(tap, "fail");
        TestContext.WriteLine($"{generation}: {pass} passed, {fail} failed (node exit {exitCode})");
        foreach (Match notOk in NotOk().Matches(tap))
        {
            TestContext.WriteLine(notOk.Value);
        }

        Assert.AreEqual(0, fail, $"{generation}: {fail} JavaScript conformance tests failed\n{tap}\n{errors}");
        Assert.IsTrue(pass > 0, $"{generation}: no JavaScript conformance test ran\n{tap}\n{errors}");
        Assert.AreEqual(0, exitCode, $"{generation}: node exited with {exitCode}\n{errors}");
    }

    /// <summary>The totals node's TAP reporter prints last (<c># pass 15</c>, <c># fail 0</c>).</summary>
    private static int Count(string tap, string name) =>
        Regex.Match(tap, $@"^# {name} (\d+)$", RegexOptions.Multiline,
            TimeSpan.FromSeconds(1)) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new AssertFailedException($"node's TAP output has no '# {name}' total:\n{tap}");

    [GeneratedRegex(@"^not ok \d+ - .*$", RegexOptions.Multiline, 1000)]
    private static partial Regex NotOk();
}
