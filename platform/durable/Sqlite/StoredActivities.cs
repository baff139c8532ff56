using System.Collections.Concurrent;
using DurableTask.Core;

namespace EdgeKv.Durable.Sqlite;

/// <summary>
/// The activity messages this process stored in the table, kept by row so that leasing them back costs no
/// deserialization (a fan-out stores most of its activities beyond the local queue). SQLite hands a table's row numbers
/// out again once it empties (INTEGER PRIMARY KEY takes max + 1), and an entry can be added just after its row was
/// leased: an entry is therefore used only for the row whose payload it was stored with. Without that check a stale
/// entry ran another instance's activity in place of a fan-out's, whose result never came (the fan-out hung).
/// </summary>
internal sealed class StoredActivities(int capacity)
{
    private readonly ConcurrentDictionary<long, (TaskMessage Message, string Payload)> _byRow = new();
    private int _countAtLastSweep;

    public int Count => _byRow.Count;

    /// <summary>Keeps the message of a stored row, unless <c>capacity</c> messages are kept already.</summary>
    public void Keep(long row, TaskMessage message, string payload)
    {
        if (_byRow.Count < capacity) _byRow[row] = (message, payload);
    }

    /// <summary>
    /// The kept message for a leased row if it was stored with this payload; otherwise the payload, deserialized.
    /// </summary>
    public TaskMessage Take(long row, string payload) =>
        _byRow.TryRemove(row, out (TaskMessage Message, string Payload) kept) && string.Equals(kept.Payload, payload,
            StringComparison.Ordinal)
            ? kept.Message
            : DurableJson.Deserialize<TaskMessage>(payload);

    /// <summary>
    /// Called each lease-keeper round: entries nobody took since the last round (rows leased elsewhere) go.
    /// </summary>
    public void SweepUntaken()
    {
        int count = _byRow.Count;
        if (count > 0 && count == _countAtLastSweep) _byRow.Clear();
        _countAtLastSweep = _byRow.Count;
    }
}
