using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite.CrashHost;

/// <summary>Takes a moment, then appends its step to appended.log: at least once.</summary>
public sealed class AppendStepActivity : AsyncTaskActivity<int, int>
{
    protected override async Task<int> ExecuteAsync(TaskContext context, int input)
    {
        await Task.Delay(150);
        await File.AppendAllTextAsync(Path.Combine(CrashChainOrchestration.EffectsFolder, "appended.log"),
            $"{input}\n");
        return input;
    }
}
