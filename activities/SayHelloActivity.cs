using Microsoft.DurableTask;

namespace EdgeKv.Activities;

/// <summary>Greets a name; the step of the HelloSequence diagnostic workflow.</summary>
[DurableTask(Name)]
public sealed class SayHelloActivity : TaskActivity<string?, string>
{
    public const string Name = "SayHello";

    public override Task<string> RunAsync(TaskActivityContext context, string? input)
        => Task.FromResult($"Hello {(string.IsNullOrWhiteSpace(input) ? "world" : input)}!");
}
