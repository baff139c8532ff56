using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>An instance as the Durable Functions status API shows it.</summary>
public sealed record InstanceStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("instanceId")] string InstanceId,
    [property: JsonPropertyName("runtimeStatus")] string RuntimeStatus,
    [property: JsonPropertyName("input")] JsonNode? Input,
    [property: JsonPropertyName("customStatus")] JsonNode? CustomStatus,
    [property: JsonPropertyName("output")] JsonNode? Output,
    [property: JsonPropertyName("createdTime")] DateTime CreatedTime,
    [property: JsonPropertyName("lastUpdatedTime")] DateTime LastUpdatedTime,
    [property: JsonPropertyName("failureDetails"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FailureView? FailureDetails,
    [property: JsonPropertyName("historyEvents"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? HistoryEvents)
{
    /// <param name="history">The instance's history as <see cref="HistoryView"/> shows it, when asked for.</param>
    public static InstanceStatus From(OrchestrationMetadata m, bool showInput, JsonArray? history = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        // A failed instance's output is its error message, as in Durable Functions.
        JsonNode? output = m.RuntimeStatus == OrchestrationRuntimeStatus.Failed && m.FailureDetails is { } failure
            ? JsonValue.Create($"{failure.ErrorType}: {failure.ErrorMessage}")
            : Parse(m.SerializedOutput);
        return new InstanceStatus(m.Name, m.InstanceId, m.RuntimeStatus.ToString(),
            showInput ? Parse(m.SerializedInput) : null, Parse(m.SerializedCustomStatus),
            output, m.CreatedAt.UtcDateTime, m.LastUpdatedAt.UtcDateTime, FailureView.From(m.FailureDetails),
            history);
    }

    /// <summary>Outputs and terminate reasons are plain text when they are not JSON.</summary>
    private static JsonNode? Parse(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}

/// <summary>What failed and why (no stack trace: it is for the operator, not the attacker).</summary>
public sealed record FailureView(
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("innerFailure"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FailureView? InnerFailure)
{
    public static FailureView? From(TaskFailureDetails? failure)
        => failure is null ? null : new FailureView(failure.ErrorType, failure.ErrorMessage,
            From(failure.InnerFailure));
}
