namespace EdgeKv.Readme.Tests;

/// <summary>What the README test does with a shell block, from the <c>readme-test</c> marker before it.</summary>
public enum ReadmeBlockRole
{
    /// <summary>No marker: run in the shared shell session, in README order; it must exit 0.</summary>
    Run,

    /// <summary>
    /// <c>&lt;!-- readme-test: host --&gt;</c>: the command that starts the local host, run in the background.
    /// </summary>
    Host,

    /// <summary><c>needs real Azure</c> or <c>skip (reason)</c>: not run.</summary>
    Skipped,
}
