namespace EdgeKv.Functions.Hosting;

/// <summary>The host's own settings (section <c>EdgeKv</c> of the app settings).</summary>
public sealed class EdgeKvHostOptions
{
    public const string SectionName = "EdgeKv";

    /// <summary>
    /// Where the task hub, EdgeKv's own store and the local emulator keep their files; relative to the content root.
    /// </summary>
    public string DataPath { get; set; } = ".data";
}
