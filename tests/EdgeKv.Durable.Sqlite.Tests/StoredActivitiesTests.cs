using DurableTask.Core;
using DurableTask.Core.History;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>
/// Activity messages kept by row number: SQLite reuses row numbers once a table empties, so an entry left behind must
/// never stand in for the activity that now has its number.
/// </summary>
[TestClass]
public sealed class StoredActivitiesTests
{
    [TestMethod]
    public void ALeasedRow_GetsTheKeptMessage_WhenItWasStoredWithThatPayload()
    {
        var stored = new StoredActivities(capacity: 10);
        TaskMessage message = Scheduled("fan-2", 201);
        string payload = DurableJson.Serialize(message);
        stored.Keep(3, message, payload);

        Assert.AreSame(message, stored.Take(3, payload));
        Assert.AreEqual(0, stored.Count);
    }

    [TestMethod]
    public void AnEntryLeftBehind_DoesNotStandInForAnotherActivityOnTheReusedRowNumber()
    {
        // Row 3 held fan-1's activity 201, leased before its entry was added; fan-2's activity 201 now has row 3.
        var stored = new StoredActivities(capacity: 10);
        TaskMessage stale = Scheduled("fan-1", 201);
        stored.Keep(3, stale, DurableJson.Serialize(stale));
        string current = DurableJson.Serialize(Scheduled("fan-2", 201));

        TaskMessage taken = stored.Take(3, current);

        Assert.AreNotSame(stale, taken);
        Assert.AreEqual("fan-2", taken.OrchestrationInstance.InstanceId);
        Assert.AreEqual(201, ((TaskScheduledEvent)taken.Event).EventId);
    }

    [TestMethod]
    public void EntriesNobodyTakesForARound_AreDropped_AndTheCapacityIsKept()
    {
        var stored = new StoredActivities(capacity: 2);
        for (long row = 1; row <= 3; row++)
        {
            TaskMessage message = Scheduled("fan", (int)row);
            stored.Keep(row, message, DurableJson.Serialize(message));
        }

        Assert.AreEqual(2, stored.Count, "a third entry beyond the capacity is not kept");
        stored.SweepUntaken();
        Assert.AreEqual(2, stored.Count, "the first round only notes the count");
        stored.SweepUntaken();
        Assert.AreEqual(0, stored.Count, "unchanged for a round: left behind, dropped");
    }

    private static TaskMessage Scheduled(string instanceId, int eventId) => new()
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = "e-" + instanceId },
        Event = new TaskScheduledEvent(eventId, "AddOne", null, "1"),
    };
}
