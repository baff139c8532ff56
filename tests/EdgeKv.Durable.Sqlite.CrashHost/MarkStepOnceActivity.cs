using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite.CrashHost;

/// <summary>Idempotent: keyed by the call's identity, so a re-run after a crash writes nothing new.</summary>
public sealed class MarkStepOnceActivity : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input)
    {
        string marker = Path.Combine(CrashChainOrchestration.EffectsFolder,
            $"marker-{context.OrchestrationInstance.InstanceId}-{input}");
        if (!File.Exists(marker))
        {
            File.AppendAllText(Path.Combine(CrashChainOrchestration.EffectsFolder, "marked.log"), $"{input}\n");
            File.WriteAllText(marker, string.Empty);
        }

        return input;
    }
}
