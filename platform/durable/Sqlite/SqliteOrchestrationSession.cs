using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// An extended session: between episodes the host keeps the instance's history in memory and its lease in the
/// database, and waits here for the instance's next messages only, so an episode runs the new events instead of
/// replaying the whole history. A lost lease ends the session with <see cref="SessionAbortedException"/>.
/// </summary>
internal sealed class SqliteOrchestrationSession(SqliteOrchestrationService service,
    SqliteOrchestrationWorkItem workItem) : IOrchestrationSession
{
    /// <summary>The framework passes the session's own work item back; the session already holds it.</summary>
    public Task<IList<TaskMessage>?> FetchNewOrchestrationMessagesAsync(TaskOrchestrationWorkItem current) =>
        service.FetchSessionMessagesAsync(workItem);

    public Task EndSessionAsync()
    {
        service.EndSession(workItem);
        return Task.CompletedTask;
    }
}
