using System.Text;
using System.Text.RegularExpressions;

namespace EdgeKv.Readme.Tests;

/// <summary>
/// Reads the fenced shell blocks of README.md and of the docs/ pages, and the <c>readme-test</c> markers that say how
/// to treat them (the rules are in <see cref="ReadmeShellTests"/>). A marker that is malformed, unknown or not directly
/// before a shell block is an error, so a section cannot be left out of the test by accident.
/// </summary>
public static partial class ReadmeParser
{
    public const string NeedsAzure = "needs real Azure";
    public const string Readme = "README.md";
    public const string DocsFolder = "docs";

    private static readonly string[] ShellLanguages = ["bash", "sh"];
    private static readonly string[] RefusedLanguages = ["shell", "console", "zsh", "shellsession", "terminal"];

    /// <summary>
    /// README's blocks, then those of every docs/*.md page in ordinal file-name order, numbered in that run order. The
    /// pages' blocks run after README's, in the same session, so they may use what README's set up.
    /// </summary>
    public static IReadOnlyList<ReadmeBlock> ParseRepository(string repository)
    {
        var blocks = new List<ReadmeBlock>(Parse(File.ReadAllText(Path.Combine(repository, Readme))));
        string docs = Path.Combine(repository, DocsFolder);
        IEnumerable<string> pages = Directory.Exists(docs) ? Directory.EnumerateFiles(docs,
            "*.md").Order(StringComparer.Ordinal) : [];
        foreach (string page in pages)
        {
            blocks.AddRange(ParsePage(File.ReadAllText(page), DocsFolder + "/" + Path.GetFileName(page),
                blocks.Count + 1));
        }

        return blocks;
    }

    /// <summary>README's blocks: exactly one of them starts the host.</summary>
    public static IReadOnlyList<ReadmeBlock> Parse(string markdown)
    {
        List<ReadmeBlock> blocks = ParseBlocks(markdown, Readme, 1);
        int hosts = blocks.Count(b => b.Role == ReadmeBlockRole.Host);
        if (hosts != 1) throw new FormatException($"README must have exactly one block marked <!-- readme-test: host --> (the command that starts the local host); it has {hosts}");
        return blocks;
    }

    /// <summary>
    /// A docs page's blocks, numbered from <paramref name="firstNumber"/>; they run once README's host is up, so none
    /// starts it.
    /// </summary>
    public static IReadOnlyList<ReadmeBlock> ParsePage(string markdown, string page, int firstNumber)
    {
        List<ReadmeBlock> blocks = ParseBlocks(markdown, page, firstNumber);
        ReadmeBlock? host = blocks.FirstOrDefault(b => b.Role == ReadmeBlockRole.Host);
        if (host is not null) throw new FormatException($"{page} line {host.Line}: only README has the host block; a docs page's blocks run after it");
        return blocks;
    }

    private static List<ReadmeBlock> ParseBlocks(string markdown, string page, int firstNumber)
    {
        var blocks = new List<ReadmeBlock>();
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string heading = "(top)";
        (string Text, int Line)? marker = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.Trim();
            Match markerMatch = MarkerPattern().Match(trimmed);
            if (markerMatch.Success)
            {
                if (marker is not null) throw new FormatException($"{page} line {marker.Value.Line}: a readme-test marker is not followed by a shell block");
                marker = (markerMatch.Groups["text"].Value.Trim(), i + 1);
                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                string language = trimmed[3..].Trim().ToLowerInvariant();
                int open = i + 1;
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```",
                    StringComparison.Ordinal); i++) code.Append(lines[i]).Append('\n');
                if (i >= lines.Length) throw new FormatException($"{page} line {open}: a code fence is never closed");

                if (RefusedLanguages.Contains(language)) throw new FormatException($"{page} line {open}: mark shell blocks ```bash (or ```sh), not ```{language}, so the README test runs them");
                if (!ShellLanguages.Contains(language))
                {
                    if (marker is not null) throw new FormatException($"{page} line {marker.Value.Line}: a readme-test marker is before a ```{language} block, not a shell block");
                    continue;
                }

                (ReadmeBlockRole role, string? reason) = marker is null ? (ReadmeBlockRole.Run,
                    null) : Interpret(marker.Value.Text, page, marker.Value.Line);
                blocks.Add(new ReadmeBlock(firstNumber + blocks.Count, open, heading, role, code.ToString(), reason,
                    page));
                marker = null;
                continue;
            }

            if (trimmed.Length == 0) continue;
            if (marker is not null) throw new FormatException($"{page} line {marker.Value.Line}: a readme-test marker must be directly before its shell block (only blank lines between)");
            if (trimmed.StartsWith('#')) heading = trimmed.TrimStart('#').Trim();
        }

        if (marker is not null) throw new FormatException($"{page} line {marker.Value.Line}: a readme-test marker is not followed by a shell block");
        return blocks;
    }

    private static (ReadmeBlockRole Role, string? Reason) Interpret(string text, string page, int line)
    {
        if (text == "host") return (ReadmeBlockRole.Host, null);
        if (text == NeedsAzure) return (ReadmeBlockRole.Skipped, NeedsAzure);
        Match skip = SkipPattern().Match(text);
        if (skip.Success) return (ReadmeBlockRole.Skipped, skip.Groups["reason"].Value.Trim());
        throw new FormatException($"{page} line {line}: unknown readme-test marker \"{text}\"; use \"host\", \"{NeedsAzure}\" or \"skip (the reason)\"");
    }

    [GeneratedRegex(@"^<!--\s*readme-test:(?<text>.*?)-->$")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^skip \((?<reason>\s*\S.*)\)$")]
    private static partial Regex SkipPattern();
}
