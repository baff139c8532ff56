using System.Xml.Linq;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The Azure app (functions/, orchestrations/, activities/) and the libraries it ships with reach nothing of the
/// local platform (platform/: the emulator, the local hosts, the local durable provider), and the libraries nothing of
/// the app, through any chain of project references. The publish test sees the result; this one names the reference
/// that broke the rule, without a build.
/// </summary>
[TestClass]
public sealed class AppProjectReferencesTests
{
    private static readonly string[] AppProjects =
    [
        "functions/EdgeKv.Functions.csproj",
        "orchestrations/EdgeKv.Orchestrations.csproj",
        "activities/EdgeKv.Activities.csproj",
    ];

    [TestMethod]
    public void The_app_and_its_libraries_reference_nothing_under_platform()
    {
        string root = RepositoryRoot();
        Dictionary<string, string> seen = Closure(root, AppProjects);
        string platform = Path.Combine(root, "platform") + Path.DirectorySeparatorChar;
        string[] local = [.. seen.Where(p => p.Key.StartsWith(platform, StringComparison.Ordinal))
            .Select(p => p.Value)];

        Assert.IsTrue(seen.Count >= AppProjects.Length, "the app's projects were read");
        Assert.AreEqual(0, local.Length, "the app reaches the local platform: " + string.Join("; ", local));
    }

    [TestMethod]
    public void The_libraries_reference_neither_the_app_nor_the_platform()
    {
        string root = RepositoryRoot();
        string obj = $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}";
        string[] libraries = [.. Directory
            .EnumerateFiles(Path.Combine(root, "libraries"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains(obj, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))];
        Dictionary<string, string> seen = Closure(root, libraries);
        string[] forbidden = [.. new[] { "functions", "orchestrations", "activities", "platform" }
            .Select(f => Path.Combine(root, f) + Path.DirectorySeparatorChar)];
        string[] reached = [.. seen.Where(p => forbidden.Any(f => p.Key.StartsWith(f, StringComparison.Ordinal)))
            .Select(p => p.Value)];

        Assert.IsGreaterThanOrEqualTo(3, libraries.Length, "the libraries were found");
        Assert.AreEqual(0, reached.Length, "a library reaches the app or the platform: " + string.Join("; ", reached));
    }

    /// <summary>Every project the given ones reference, directly or not, each with the chain that reaches it.</summary>
    private static Dictionary<string, string> Closure(string root, IEnumerable<string> projects)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Queue<(string Project, string Chain)>(
            projects.Select(p => (Path.GetFullPath(Path.Combine(root, p)), p)));
        while (pending.TryDequeue(out var next))
        {
            if (!seen.TryAdd(next.Project, next.Chain)) continue;
            foreach (XElement reference in XDocument.Load(next.Project).Descendants("ProjectReference"))
            {
                // Analyzers run in the compiler; nothing of them is referenced or shipped.
                string? output = (string?)reference.Attribute("ReferenceOutputAssembly");
                if (string.Equals(output, "false", StringComparison.OrdinalIgnoreCase)) continue;
                string include = ((string)reference.Attribute("Include")!).Replace('\\', '/');
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next.Project)!, include));
                pending.Enqueue((target, next.Chain + " -> " + Path.GetRelativePath(root, target).Replace('\\', '/')));
            }
        }

        return seen;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null;
             directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeKv.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException(
            "the repository root (EdgeKv.sln) is not above " + AppContext.BaseDirectory);
    }
}
