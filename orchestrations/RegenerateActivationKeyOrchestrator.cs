using EdgeKv.Activities.Lifecycle;
using Microsoft.DurableTask;

namespace EdgeKv.Orchestrations;

/// <summary>
/// Regenerate activation key: a new key id and expiry replace the current ones (the previous key is refused from then
/// on). Touches no vault and nothing in Azure: only EdgeKv's store. The key is fetched once from <c>GET
/// .../activationKey</c>.
/// </summary>
[DurableTask(Name)]
public sealed class RegenerateActivationKeyOrchestrator : TaskOrchestrator<RegenerateKeyRequest?, DateTimeOffset>
{
    public const string Name = "RegenerateActivationKey";

    public static string InstanceIdFor(string resourceName) => $"regenerate-key-{resourceName.ToLowerInvariant()}";

    public override Task<DateTimeOffset> RunAsync(TaskOrchestrationContext context, RegenerateKeyRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        OrchestrationInputs.Require(input, OrchestrationInputs.Problem(input));
        var expiresAt = new DateTimeOffset(context.CurrentUtcDateTime).Add(input.KeyValidity);
        return context.CallActivityAsync<DateTimeOffset>(ReplaceActivationKeyActivity.Name,
            new ReplaceKeyRequest(input.ResourceName, context.NewGuid().ToString("N"), expiresAt,
                input.ServiceEndpoint), CallPolicies.StoreCalls);
    }
}

public sealed record RegenerateKeyRequest(string ResourceName, TimeSpan KeyValidity, string ServiceEndpoint);
