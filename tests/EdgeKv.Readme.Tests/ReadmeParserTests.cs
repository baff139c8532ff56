namespace EdgeKv.Readme.Tests;

[TestClass]
public sealed class ReadmeParserTests
{
    private const string Host = "<!-- readme-test: host -->\n```bash\ndotnet run --project platform/local\n```\n";

    [TestMethod]
    public void Parse_BlockWithoutMarker_Runs()
    {
        IReadOnlyList<ReadmeBlock> blocks = ReadmeParser.Parse(Host + "## Use it\n\n```sh\necho hi\n```\n```json\n{}\n```\n");

        Assert.AreEqual(2, blocks.Count);
        Assert.AreEqual(ReadmeBlockRole.Host, blocks[0].Role);
        Assert.AreEqual(ReadmeBlockRole.Run, blocks[1].Role);
        Assert.AreEqual("Use it", blocks[1].Heading);
        Assert.AreEqual("echo hi\n", blocks[1].Code);
    }

    [TestMethod]
    public void Parse_SkipMarkerWithReason_SkipsTheNextBlockOnly()
    {
        IReadOnlyList<ReadmeBlock> blocks = ReadmeParser.Parse(Host + "<!-- readme-test: skip (this is the test command) -->\n\n```bash\ndotnet test\n```\n```bash\necho next\n```\n");

        Assert.AreEqual(ReadmeBlockRole.Skipped, blocks[1].Role);
        Assert.AreEqual("this is the test command", blocks[1].SkipReason);
        Assert.AreEqual(ReadmeBlockRole.Run, blocks[2].Role);
    }

    [TestMethod]
    public void Parse_SkipMarkerWithoutReason_IsRefused() =>
        Assert.ThrowsExactly<FormatException>(() => ReadmeParser.Parse(Host + "<!-- readme-test: skip -->\n```bash\nls\n```\n"));

    [TestMethod]
    public void Parse_MarkerSeparatedFromItsBlockByText_IsRefused() =>
        Assert.ThrowsExactly<FormatException>(() => ReadmeParser.Parse(Host + "<!-- readme-test: needs real Azure -->\nSome prose.\n```bash\naz login\n```\n"));

    [TestMethod]
    public void Parse_ShellFenceNotNamedBash_IsRefused() =>
        Assert.ThrowsExactly<FormatException>(() => ReadmeParser.Parse(Host + "```shell\nls\n```\n"));

    [TestMethod]
    public void Parse_NoHostBlock_IsRefused() =>
        Assert.ThrowsExactly<FormatException>(() => ReadmeParser.Parse("```bash\nls\n```\n"));

    [TestMethod]
    public void ParsePage_HostMarker_IsRefused() =>
        Assert.ThrowsExactly<FormatException>(() => ReadmeParser.ParsePage(Host, "docs/page.md", 5));

    [TestMethod]
    public void ParsePage_Blocks_AreNumberedOnFromREADMEsAndNamedByPage()
    {
        IReadOnlyList<ReadmeBlock> blocks = ReadmeParser.ParsePage("# Page\n\n```bash\necho one\n```\n<!-- readme-test: needs real Azure -->\n```bash\naz login\n```\n", "docs/page.md", 7);

        Assert.AreEqual(2, blocks.Count);
        Assert.AreEqual(7, blocks[0].Number);
        Assert.AreEqual(8, blocks[1].Number);
        Assert.AreEqual(ReadmeBlockRole.Skipped, blocks[1].Role);
        Assert.AreEqual("docs/page.md", blocks[0].Page);
        Assert.StartsWith("docs/page.md block 7", blocks[0].Describe());
    }

    [TestMethod]
    public void Parse_TheRepositoryReadme_HasOneHostBlockAndGivesEverySkipAReason()
    {
        IReadOnlyList<ReadmeBlock> blocks = ReadmeParser.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(),
            "README.md")));

        Assert.IsTrue(blocks.Where(b => b.Role == ReadmeBlockRole.Skipped).All(b => !string.IsNullOrWhiteSpace(b.SkipReason)));
        Assert.IsTrue(blocks.Count(b => b.Role == ReadmeBlockRole.Run) > blocks.Count(b => b.Role == ReadmeBlockRole.Skipped), "most of README's blocks run");
    }

    [TestMethod]
    public void ParseRepository_READMEAndTheDocsPages_NumberEveryBlockOnceWithOneHostInREADME()
    {
        IReadOnlyList<ReadmeBlock> blocks = ReadmeParser.ParseRepository(RepositoryRoot());

        CollectionAssert.AreEqual(Enumerable.Range(1, blocks.Count).ToList(), blocks.Select(b => b.Number).ToList());
        Assert.AreEqual(ReadmeParser.Readme, blocks.Single(b => b.Role == ReadmeBlockRole.Host).Page);
        Assert.IsTrue(blocks.Any(b => b.Role == ReadmeBlockRole.Run && b.Page.StartsWith(ReadmeParser.DocsFolder + "/",
            StringComparison.Ordinal)), "the docs pages' runnable blocks are parsed");
        Assert.IsTrue(blocks.Where(b => b.Role == ReadmeBlockRole.Skipped).All(b => !string.IsNullOrWhiteSpace(b.SkipReason)));
    }

    private static string RepositoryRoot()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeKv.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        return root;
    }
}
