using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.Tests;

/// <summary>
/// The api-version table in platform/emulator/README.md is the one the code serves (so neither drifts).
/// </summary>
[TestClass]
public sealed class ApiVersionTableTests
{
    private const string Begin = "<!-- api-versions:begin -->";
    private const string End = "<!-- api-versions:end -->";

    [TestMethod]
    public void ReadmeApiVersionTable_MatchesProviderCatalog()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "platform", "emulator", "README.md"));
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.IsTrue(start >= 0 && end > start, "platform/emulator/README.md lacks the api-version table markers");
        var documented = readme[(start + Begin.Length)..end].Trim().ReplaceLineEndings("\n");

        var expected = Table();
        Assert.AreEqual(expected, documented,
            $"Paste this table between the markers in platform/emulator/README.md:\n{expected}");
    }

    private static string Table() => string.Join('\n',
        new[] { "| resource type | api-versions (newest first) |", "| --- | --- |" }
            .Concat(ProviderCatalog.AllTypes.Select(t => $"| `{t.Type}` | {string.Join(", ", t.Versions)} |")));

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeKv.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EdgeKv.sln not found above the test output folder.");
    }
}
