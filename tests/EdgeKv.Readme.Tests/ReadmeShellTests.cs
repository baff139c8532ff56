using System.Globalization;
using System.Text.RegularExpressions;
using EdgeKv.Tests.Support;

namespace EdgeKv.Readme.Tests;

/// <summary>
/// README.md's ```bash and ```sh blocks run in CI, in order, against the local defaults, as a new user would follow
/// them; then those of every docs/*.md page (ordinal file-name order), in the same session, so a page's blocks go on
/// from README's (its <c>$E</c>, <c>$AUTH</c>, activated device). The rules a section must keep to pass (also
/// summarised in a comment at the top of README.md):
/// <list type="bullet">
/// <item>Every ```bash/```sh block runs unless a marker on the line(s) directly before it says otherwise (```shell and
/// ```console are refused, so a block cannot drop out of the test by its fence): <c>&lt;!-- readme-test: host
/// --&gt;</c> on the one block, in README, that starts the local host (run in the background; the test waits for
/// <c>/healthz</c>); <c>&lt;!-- readme-test: needs real Azure --&gt;</c>; or <c>&lt;!-- readme-test: skip (the reason)
/// --&gt;</c> for what cannot run inside the suite (the test command itself, a soak). Keep skips rare.</item>
/// <item>Blocks before the host block run before it starts, the others after it is ready, in one bash session with
/// <c>set -e</c> (a failing command fails its block); variables set in one block are seen by the next. A block
/// must work after the ones before it, not on its own: define what it uses (<c>$AUTH</c>, <c>$E</c>) earlier.</item>
/// <item><c>curl</c> runs with <c>--fail-with-body</c>: an HTTP error answer fails the block. A call that shows an
/// error on purpose prints the status instead (<c>-o /dev/null -w '%{http_code}'</c>).</item>
/// <item>Waits are bounded (<c>for i in $(seq 60); do ... &amp;&amp; break; sleep 1; done</c>); the whole run has
/// <see cref="Budget"/>. No placeholder a shell would misread (<c>&lt;id&gt;</c> is a redirection): capture the
/// value into a variable.</item>
/// <item>The working folder stands in for the repository root (its entries are links to it); the host listens on
/// <c>http://localhost:7071</c> in README and on a free port in the test (that string is replaced); the in-process
/// emulator gets free ports. A block that starts its own server (another host, Azurite) must take its ports from
/// variables or free ports, never fixed ones.</item>
/// </list>
/// </summary>
[TestClass]
public sealed class ReadmeShellTests
{
    // A bound on a hang: the blocks build and start the host, slow on a busy machine; the test's own bound lies beyond.
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(14);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task Readme_shell_blocks_run_in_order_against_the_local_defaults()
    {
        string repository = RepositoryRoot();
        IReadOnlyList<ReadmeBlock> blocks = ReadmeParser.ParseRepository(repository);
        foreach (ReadmeBlock skipped in blocks.Where(b => b.Role == ReadmeBlockRole.Skipped))
        {
            TestContext.WriteLine($"skipped: {skipped.Describe()}: {skipped.SkipReason}");
        }

        ReadmeBlock hostBlock = blocks.Single(b => b.Role == ReadmeBlockRole.Host);
        List<ReadmeBlock> before = [.. blocks.Where(b => b.Role == ReadmeBlockRole.Run && b.Number < hostBlock.Number)];
        List<ReadmeBlock> after = [.. blocks.Where(b => b.Role == ReadmeBlockRole.Run && b.Number > hostBlock.Number)];

        using var folder = new TempDirectory("edgekv-readme");
        await using var session = new ReadmeSession(repository, folder.Path);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        budget.CancelAfter(Budget);

        if (before.Count > 0) await RunBlocksAsync(session, before, TestContext, budget.Token);
        try
        {
            await session.StartHostAsync(hostBlock, budget.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{hostBlock.Describe()}: the host did not answer /healthz within {Budget.TotalMinutes} minutes:\n{ReadmeSession.Tail(session.HostOutput)}");
        }

        await RunBlocksAsync(session, after, TestContext, budget.Token);
    }

    private static async Task RunBlocksAsync(ReadmeSession session, IReadOnlyList<ReadmeBlock> blocks, TestContext log,
        CancellationToken cancellationToken)
    {
        (int? exitCode, string output) = await session.RunAsync(blocks, cancellationToken);
        log.WriteLine(output);
        if (exitCode == 0 && output.Contains(ReadmeSession.DoneMarker, StringComparison.Ordinal))
        {
            foreach (ReadmeBlock block in blocks) Assert.Contains($"{ReadmeSession.BlockMarker}{block.Number}@@",
                output, $"{block.Describe()} did not run");
            return;
        }

        // The last block that started is the one that failed; its output is what follows its marker.
        MatchCollection markers = Regex.Matches(output, Regex.Escape(ReadmeSession.BlockMarker) + @"(\d+)@@");
        ReadmeBlock? failed = markers.Count == 0 ? null
            : blocks.Single(b => b.Number == int.Parse(markers[^1].Groups[1].Value, CultureInfo.InvariantCulture));
        string blockOutput = markers.Count == 0 ? output : output[(markers[^1].Index + markers[^1].Length)..];
        string what = failed?.Describe() ?? "the README session";
        string outcome = exitCode is null ? $"did not finish within the test's budget ({Budget.TotalMinutes} minutes)" : $"exited with {exitCode}";
        Assert.Fail($"{what} {outcome}. Its output:\n{ReadmeSession.Tail(blockOutput)}\n--- the block:\n{failed?.Code}\n--- the host's last lines:\n{ReadmeSession.Tail(session.HostOutput, 30)}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName,
                "EdgeKv.sln")) && File.Exists(Path.Combine(directory.FullName, "README.md"))) return directory.FullName;
        }

        throw new InvalidOperationException("the repository root (EdgeKv.sln) is not above " + AppContext.BaseDirectory);
    }
}
