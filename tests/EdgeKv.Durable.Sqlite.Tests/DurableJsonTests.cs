using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;

namespace EdgeKv.Durable.Sqlite.Tests;

/// <summary>
/// The stored form of the framework's objects: compact, readable by the reader of the first form, and closed to foreign
/// types.
/// </summary>
[TestClass]
public sealed class DurableJsonTests
{
    [TestMethod]
    public void AMessage_RoundTrips_WithATypeNameOnlyOnItsEvent()
    {
        var message = new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "i-1", ExecutionId = "e-1" },
            Event = new TaskCompletedEvent(-1, 7, "\"result\""),
        };

        string json = DurableJson.Serialize(message);
        TaskMessage read = DurableJson.Deserialize<TaskMessage>(json);

        var completed = (TaskCompletedEvent)read.Event;
        Assert.AreEqual(7, completed.TaskScheduledId);
        Assert.AreEqual("\"result\"", completed.Result);
        Assert.AreEqual("e-1", read.OrchestrationInstance.ExecutionId);
        Assert.AreEqual(1, CountOf(json, "\"$type\""), json);
    }

    [TestMethod]
    public void AHistoryRow_CarriesItsConcreteType_AndTagsRoundTrip()
    {
        HistoryEvent started = new ExecutionStartedEvent(-1, "\"input\"")
        {
            Name = "Sequence",
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "i-1", ExecutionId = "e-1" },
            Tags = new Dictionary<string, string> { ["owner"] = "edgekv" },
        };

        var read = (ExecutionStartedEvent)DurableJson.Deserialize<HistoryEvent>(DurableJson.Serialize(started));

        Assert.AreEqual("Sequence", read.Name);
        Assert.AreEqual("edgekv", read.Tags["owner"]);
    }

    [TestMethod]
    public void ARowWrittenWithATypeNameOnEveryObject_IsStillRead()
    {
        // The first stored form (TypeNameHandling.Objects): hubs written before keep working.
        var first = JsonSerializer.Create(new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Objects,
            NullValueHandling = NullValueHandling.Ignore });
        var message = new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "i-2", ExecutionId = "e-2" },
            Event = new EventRaisedEvent(-1, "\"payload\"") { Name = "approve" },
        };
        using var text = new StringWriter();
        first.Serialize(text, message);
        Assert.IsGreaterThan(1, CountOf(text.ToString(), "\"$type\""), "the first form names every object's type");

        TaskMessage read = DurableJson.Deserialize<TaskMessage>(text.ToString());

        Assert.AreEqual("approve", ((EventRaisedEvent)read.Event).Name);
        Assert.AreEqual("i-2", read.OrchestrationInstance.InstanceId);
    }

    [TestMethod]
    public void ARowNamingATypeOutsideTheFramework_IsRefused()
    {
        const string json = """{"$type":"System.IO.FileInfo, System.IO.FileSystem","OriginalPath":"/etc/passwd"}""";

        Assert.ThrowsExactly<JsonSerializationException>(() => DurableJson.Deserialize<HistoryEvent>(json));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length,
            StringComparison.Ordinal)) count++;
        return count;
    }
}
