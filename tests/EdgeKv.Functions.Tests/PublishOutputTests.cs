using System.Diagnostics;
using System.Text;
using EdgeKv.Tests.Support;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// What <c>dotnet publish functions</c> ships to Azure is the Azure app alone: no emulator, no local host, no local
/// composition, no local durable provider (Azure runs the orchestrations in the Functions host's Durable extension);
/// the dashboard's built files, which the app's ServeDashboard function serves; and a <c>functions.metadata</c> that
/// names every function once. It publishes the build the tests were built against (<c>--no-build</c>: nothing is
/// compiled again, so it takes seconds, not minutes).
/// </summary>
[TestClass]
public sealed class PublishOutputTests
{
    /// <summary>
    /// Assemblies (and their files) that belong to the local platform only (platform/ and its durable provider).
    /// </summary>
    private static readonly string[] LocalOnlyPrefixes = ["EdgeKv.Emulator", "EdgeKv.FunctionsHost", "EdgeKv.Local",
        "EdgeKv.Durable"];

    private static TempDirectory? publish;

    [ClassInitialize]
    public static async Task PublishAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        publish = new TempDirectory();
        string repository = RepositoryRoot();
        // bin/<Configuration>/<tfm>/: publish the configuration these tests were built in.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository,
        };
        foreach (string arg in (string[])["publish", Path.Combine(repository, "functions", "EdgeKv.Functions.csproj"),
            "-c", configuration, "--no-build",
                     "-o", publish.Path, "-nologo"])
        {
            info.ArgumentList.Add(arg);
        }

        // The test runner's own MSBuild variables would steer the child's build.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild",
            StringComparison.OrdinalIgnoreCase)).ToList()) info.Environment.Remove(key);
        // No MSBuild node or build server outlives the publish (they would leave the process tree when it exits).
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        using Process process = ChildProcesses.Start(info);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A generous bound for a busy machine: the publish copies files, it compiles nothing.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AssertFailedException("dotnet publish functions did not finish within 10 minutes:\n" + output);
        }
        finally
        {
            await ChildProcesses.KillAsync(process);
        }

        Assert.AreEqual(0, process.ExitCode, "dotnet publish functions failed:\n" + output);
    }

    [ClassCleanup]
    public static void Cleanup() => publish?.Dispose();

    [TestMethod]
    public void The_publish_output_holds_no_emulator_local_host_local_composition_or_local_durable_assembly()
    {
        string[] shipped = [.. Files().Where(f => LocalOnlyPrefixes.Any(p => Path.GetFileName(f).StartsWith(p,
            StringComparison.OrdinalIgnoreCase)))];
        string dependencies = File.ReadAllText(Path.Combine(publish!.Path, "EdgeKv.Functions.deps.json"));
        string[] listed = [.. LocalOnlyPrefixes.Where(p => dependencies.Contains($"\"{p}",
            StringComparison.OrdinalIgnoreCase))];

        Assert.AreEqual(0, shipped.Length, "local-only files in the publish output: " + string.Join(", ", shipped));
        Assert.AreEqual(0, listed.Length,
            "local-only assemblies the app's deps.json names: " + string.Join(", ", listed));
        Assert.IsTrue(File.Exists(Path.Combine(publish!.Path, "EdgeKv.Functions.dll")), "the app itself is published");
    }

    [TestMethod]
    public void The_publish_output_holds_the_built_dashboard_under_dashboard_and_no_other_page()
    {
        string dist = Path.Combine(RepositoryRoot(), "tools", "dashboard", "dist");
        Assert.IsTrue(File.Exists(Path.Combine(dist, "index.html")),
            "the dashboard was built with the app (tools/dashboard/Dashboard.targets)");
        string[] built = [.. Directory.EnumerateFiles(dist, "*",
            SearchOption.AllDirectories).Select(f => "dashboard/" + Path.GetRelativePath(dist, f).Replace('\\',
                '/')).Order(StringComparer.Ordinal)];
        string[] published = [.. Files().Where(f => f.StartsWith("dashboard/",
            StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

        CollectionAssert.AreEqual(built, published, "the published dashboard is the build's, file for file");
        // Served from there by the app itself (ServeDashboardFunction.Folder, beside its binaries).
        Assert.AreEqual(Path.Combine(publish!.Path, "dashboard"),
            Path.Combine(publish.Path, Dashboard.ServeDashboardFunction.Folder));
        Assert.IsFalse(Files().Any(f => f.EndsWith(".html",
            StringComparison.OrdinalIgnoreCase) && f != "dashboard/index.html"), "no other page is published");
        // Nothing of its build: sources, packages, the npm tree.
        Assert.IsFalse(Files().Any(f => f.Contains("node_modules", StringComparison.Ordinal) || f.EndsWith(".ts",
            StringComparison.Ordinal)), "no dashboard sources");
    }

    [TestMethod]
    public void The_published_metadata_serves_the_dashboard_once_anonymously_at_api_dashboard()
    {
        FunctionsMetadataTests.MetadataFunction[] dashboard = [.. FunctionsMetadataTests.Metadata(publish!.Path).Where(f => f.Name == Dashboard.ServeDashboardFunction.FunctionName)];

        Assert.AreEqual(1, dashboard.Length);
        Assert.AreEqual("dashboard/{*path}", dashboard[0].Route);
        CollectionAssert.AreEqual(new[] { "get" }, dashboard[0].Methods.Select(m => m.ToLowerInvariant()).ToArray());
        Assert.AreEqual("Anonymous", dashboard[0].Binding.GetProperty("authLevel").GetString(),
            "a page the browser opens carries no Functions key");
    }

    [TestMethod]
    public void The_published_metadata_is_the_builds_and_names_every_function_once()
    {
        List<FunctionsMetadataTests.MetadataFunction> published = FunctionsMetadataTests.Metadata(publish!.Path);

        FunctionsMetadataTests.AssertEveryNameOnce(published);
        CollectionAssert.AreEqual(
            FunctionsMetadataTests.Metadata(AppContext.BaseDirectory).Select(Describe).Order(StringComparer.Ordinal).ToArray(),
            published.Select(Describe).Order(StringComparer.Ordinal).ToArray());
        Assert.IsTrue(File.Exists(Path.Combine(publish.Path, "host.json")),
            "host.json is published beside the metadata");
    }

    private static string Describe(FunctionsMetadataTests.MetadataFunction f) => $"{f.Name} {f.Trigger} {f.Route} {string.Join(',', f.Methods)} {f.EntryPoint}";

    /// <summary>Every file of the publish output, relative to it, with '/' separators.</summary>
    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(publish!.Path, "*",
            SearchOption.AllDirectories).Select(f => Path.GetRelativePath(publish.Path, f).Replace('\\', '/'));

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeKv.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("the repository root (EdgeKv.sln) is not above " + AppContext.BaseDirectory);
    }
}
