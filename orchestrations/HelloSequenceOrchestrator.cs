using EdgeKv.Activities;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations;

/// <summary>
/// The built-in diagnostic workflow operators start to check a deployment: one SayHello per name, in order.
/// It exercises the whole path (starter, store, both dispatchers, replay) and touches nothing else.
/// </summary>
[DurableTask(Name)]
public sealed class HelloSequenceOrchestrator : TaskOrchestrator<string[]?, IReadOnlyList<string>>
{
    public const string Name = "HelloSequence";

    private static readonly TaskOptions SayHelloOptions = TaskOptions.FromRetryPolicy(new RetryPolicy(3,
        TimeSpan.FromSeconds(1), backoffCoefficient: 2));

    public override async Task<IReadOnlyList<string>> RunAsync(TaskOrchestrationContext context, string[]? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(OrchestrationInputs.Problem(input));
        string[] names = input ?? [];
        var greetings = new List<string>(names.Length);
        for (int i = 0; i < names.Length; i++)
        {
            context.SetCustomStatus(new { step = i + 1, of = names.Length });
            greetings.Add(await context.CallActivityAsync<string>(SayHelloActivity.Name, names[i], SayHelloOptions));
        }

        return greetings;
    }
}
