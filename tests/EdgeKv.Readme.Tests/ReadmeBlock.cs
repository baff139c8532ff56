namespace EdgeKv.Readme.Tests;

/// <summary>One fenced <c>bash</c>/<c>sh</c> block of README.md.</summary>
/// <param name="Number">1-based, in README order, counting every shell block (skipped ones too).</param>
/// <param name="Line">The README line of its opening fence.</param>
/// <param name="Heading">The heading it is under.</param>
/// <param name="SkipReason">Why it is skipped (the marker's text), when <paramref name="Role"/> is Skipped.</param>
public sealed record ReadmeBlock(int Number, int Line, string Heading, ReadmeBlockRole Role, string Code, string? SkipReason)
{
    public string Describe() => $"README block {Number} (line {Line}, under \"{Heading}\")";
}
