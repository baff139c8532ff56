using System.Collections;
using System.Reflection;
using Microsoft.DurableTask;

namespace EdgeKv.Durable.Hosting;

/// <summary>
/// The names of the orchestrators and activities a registration adds: what the Durable worker extension reports to the
/// Functions host as one function each. The registry keeps its tables internal (the extension reads them the same way).
/// </summary>
public static class RegisteredTasks
{
    public static IReadOnlyList<string> Orchestrators(Action<DurableTaskRegistry> register) => Names(register,
        "Orchestrators");

    public static IReadOnlyList<string> Activities(Action<DurableTaskRegistry> register) => Names(register,
        "Activities");

    private static string[] Names(Action<DurableTaskRegistry> register, string table)
    {
        ArgumentNullException.ThrowIfNull(register);
        var registry = new DurableTaskRegistry();
        register(registry);
        object entries = typeof(DurableTaskRegistry).GetProperty(table,
            BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(registry)
            ?? throw new InvalidOperationException($"DurableTaskRegistry.{table} is not there any more: the registered {table.ToLowerInvariant()} cannot be listed.");
        return [.. ((IEnumerable)entries).Cast<object>().Select(entry => entry.GetType().GetProperty("Key")!.GetValue(entry)!.ToString()!)];
    }
}
