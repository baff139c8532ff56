using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The in-memory side of an extended session this process holds: activity results for the instance are handed here
/// by the write that stores them, so the session's next fetch needs no database round trip. Every message in the
/// inbox is also in the database (the instance's lease keeps other hosts from it), so nothing is lost if this process
/// dies; the session's database fetch drops messages it already took from the inbox.
/// </summary>
internal sealed class SessionInbox(string lockToken)
{
    private readonly List<TaskMessage> _messages = [];

    public string LockToken { get; } = lockToken;

    public AsyncSignal Signal { get; } = new();

    public bool IsEmpty
    {
        get
        {
            lock (_messages) return _messages.Count == 0;
        }
    }

    public void Add(TaskMessage message)
    {
        lock (_messages) _messages.Add(message);
        Signal.Set();
    }

    public List<TaskMessage> Drain()
    {
        lock (_messages)
        {
            List<TaskMessage> taken = [.. _messages];
            _messages.Clear();
            return taken;
        }
    }
}
