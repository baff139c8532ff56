using System.Text.Json;
using EdgeKv.Functions.Security;

namespace EdgeKv.Functions.DurableHttp;

/// <summary>
/// One row of <see cref="OrchestrationRules"/>: the permission of the flow's own HTTP starter (needed to control its
/// instances through the management API), the check its input passes (the one its starter and its orchestrator apply),
/// and whether the management API may start it at all. A flow whose starter validates more than its input (a typed-name
/// confirmation, consent, the vault name's availability) is started only by that starter.
/// </summary>
public sealed record OrchestrationRule(string Name, Permission Permission, Func<JsonElement?, string?> InputProblem,
    bool StartableThroughApi)
{
    /// <summary>The input problem when the JSON cannot even be read as the orchestrator's input type.</summary>
    public static Func<JsonElement?, string?> Typed<T>(Func<T?, string?> problem) => json =>
    {
        T? input;
        try
        {
            input = json is { } element ? element.Deserialize<T>(EdgeKv.Tasks.EdgeKvDataConverter.SerializerOptions) : default;
        }
        catch (JsonException ex)
        {
            return $"The input is not a valid {typeof(T).Name}: {ex.Message}";
        }

        return problem(input);
    };
}
