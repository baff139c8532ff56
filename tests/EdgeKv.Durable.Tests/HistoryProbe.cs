using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Durable.Tests;

/// <summary>Reads an instance's history as the framework stores it.</summary>
internal static class HistoryProbe
{
    public static async Task<bool> HistoryHasAsync(this IServiceProvider services, string instanceId, string eventType)
    {
        string history = await services.GetRequiredService<IOrchestrationServiceClient>().GetOrchestrationHistoryAsync(instanceId, null);
        int code = (int)Enum.Parse<global::DurableTask.Core.History.EventType>(eventType);
        return history.Contains($"\"EventType\":{code}",
            StringComparison.Ordinal) || history.Contains($"\"{eventType}\"", StringComparison.Ordinal);
    }
}
