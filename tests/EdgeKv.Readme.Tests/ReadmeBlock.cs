namespace EdgeKv.Readme.Tests;

/// <summary>One fenced <c>bash</c>/<c>sh</c> block of README.md or of a docs/ page.</summary>
/// <param name="Number">1-based, in run order: README's blocks, then each docs page's (skipped ones counted
/// too).</param>
/// <param name="Line">The page line of its opening fence.</param>
/// <param name="Heading">The heading it is under.</param>
/// <param name="SkipReason">Why it is skipped (the marker's text), when <paramref name="Role"/> is Skipped.</param>
/// <param name="Page">The page it is on, relative to the repository root.</param>
public sealed record ReadmeBlock(int Number, int Line, string Heading, ReadmeBlockRole Role, string Code,
    string? SkipReason, string Page = ReadmeParser.Readme)
{
    public string Describe() => $"{Page} block {Number} (line {Line}, under \"{Heading}\")";
}
