using System.Xml.Linq;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The Azure app (functions/, orchestrations/, activities/) and the libraries it ships with reach nothing of the local
/// platform (platform/: the emulator, the local hosts, the local durable provider), through any chain of project
/// references. The publish test sees the result; this one names the reference that broke the rule, without a build.
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
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Queue<(string Project, string Chain)>(AppProjects.Select(p => (Path.GetFullPath(Path.Combine(root, p)), p)));
        while (pending.TryDequeue(out var next))
        {
            if (!seen.TryAdd(next.Project, next.Chain)) continue;
            foreach (XElement reference in XDocument.Load(next.Project).Descendants("ProjectReference"))
            {
                // Analyzers run in the compiler; nothing of them is referenced or shipped.
                if (string.Equals((string?)reference.Attribute("ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase)) continue;
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next.Project)!, ((string)reference.Attribute("Include")!).Replace('\\', '/')));
                pending.Enqueue((target, next.Chain + " -> " + Path.GetRelativePath(root, target).Replace('\\', '/')));
            }
        }

        string platform = Path.Combine(root, "platform") + Path.DirectorySeparatorChar;
        string[] local = [.. seen.Where(p => p.Key.StartsWith(platform, StringComparison.Ordinal)).Select(p => p.Value)];

        Assert.IsTrue(seen.Count >= AppProjects.Length, "the app's projects were read");
        Assert.AreEqual(0, local.Length, "the app reaches the local platform: " + string.Join("; ", local));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeKv.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("the repository root (EdgeKv.sln) is not above " + AppContext.BaseDirectory);
    }
}
