using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.Triggers.EventGrid;

/// <summary>
/// A function the Event Grid webhook delivers batches to, chosen by <c>?functionName=</c>, like an Azure Functions
/// Event Grid trigger.
/// </summary>
public interface IEventGridFunction
{
    string Name { get; }

    /// <summary>
    /// Handles one delivered batch, with the webhook's own Durable client (from its <c>[DurableClient]</c> binding).
    /// Throwing makes the webhook answer 500, so Event Grid delivers the batch again.
    /// </summary>
    Task HandleAsync(IReadOnlyList<ReceivedEvent> events, DurableTaskClient client,
        CancellationToken cancellationToken);
}
