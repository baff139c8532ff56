using System.Text;
using System.Text.RegularExpressions;

namespace EdgeKv.Readme.Tests;

/// <summary>
/// Reads README.md's fenced shell blocks and the <c>readme-test</c> markers that say how to treat them (the rules are
/// in <see cref="ReadmeShellTests"/>). A marker that is malformed, unknown or not directly before a shell block is an
/// error, so a section cannot be left out of the test by accident.
/// </summary>
public static partial class ReadmeParser
{
    public const string NeedsAzure = "needs real Azure";

    private static readonly string[] ShellLanguages = ["bash", "sh"];
    private static readonly string[] RefusedLanguages = ["shell", "console", "zsh", "shellsession", "terminal"];

    public static IReadOnlyList<ReadmeBlock> Parse(string markdown)
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
                if (marker is not null) throw new FormatException($"README line {marker.Value.Line}: a readme-test marker is not followed by a shell block");
                marker = (markerMatch.Groups["text"].Value.Trim(), i + 1);
                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                string language = trimmed[3..].Trim().ToLowerInvariant();
                int open = i + 1;
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++) code.Append(lines[i]).Append('\n');
                if (i >= lines.Length) throw new FormatException($"README line {open}: a code fence is never closed");

                if (RefusedLanguages.Contains(language)) throw new FormatException($"README line {open}: mark shell blocks ```bash (or ```sh), not ```{language}, so the README test runs them");
                if (!ShellLanguages.Contains(language))
                {
                    if (marker is not null) throw new FormatException($"README line {marker.Value.Line}: a readme-test marker is before a ```{language} block, not a shell block");
                    continue;
                }

                (ReadmeBlockRole role, string? reason) = marker is null ? (ReadmeBlockRole.Run, null) : Interpret(marker.Value.Text, marker.Value.Line);
                blocks.Add(new ReadmeBlock(blocks.Count + 1, open, heading, role, code.ToString(), reason));
                marker = null;
                continue;
            }

            if (trimmed.Length == 0) continue;
            if (marker is not null) throw new FormatException($"README line {marker.Value.Line}: a readme-test marker must be directly before its shell block (only blank lines between)");
            if (trimmed.StartsWith('#')) heading = trimmed.TrimStart('#').Trim();
        }

        if (marker is not null) throw new FormatException($"README line {marker.Value.Line}: a readme-test marker is not followed by a shell block");
        int hosts = blocks.Count(b => b.Role == ReadmeBlockRole.Host);
        if (hosts != 1) throw new FormatException($"README must have exactly one block marked <!-- readme-test: host --> (the command that starts the local host); it has {hosts}");
        return blocks;
    }

    private static (ReadmeBlockRole Role, string? Reason) Interpret(string text, int line)
    {
        if (text == "host") return (ReadmeBlockRole.Host, null);
        if (text == NeedsAzure) return (ReadmeBlockRole.Skipped, NeedsAzure);
        Match skip = SkipPattern().Match(text);
        if (skip.Success) return (ReadmeBlockRole.Skipped, skip.Groups["reason"].Value.Trim());
        throw new FormatException($"README line {line}: unknown readme-test marker \"{text}\"; use \"host\", \"{NeedsAzure}\" or \"skip (the reason)\"");
    }

    [GeneratedRegex(@"^<!--\s*readme-test:(?<text>.*?)-->$")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"^skip \((?<reason>\s*\S.*)\)$")]
    private static partial Regex SkipPattern();
}
