using EdgeKv.Activities.Activation;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Lifecycle;

/// <summary>
/// Regenerate activation key: the new key id becomes the resource's current one (the previous key is refused from now
/// on: <c>ActivationKeySuperseded</c>). EdgeKv's store only: no call to Azure, none to the vault.
/// </summary>
[DurableTask(Name)]
public sealed class ReplaceActivationKeyActivity(ResourceStore store,
    ILogger<ReplaceActivationKeyActivity> logger) : TaskActivity<ReplaceKeyRequest, DateTimeOffset>
{
    public const string Name = "ReplaceActivationKey";

    public override async Task<DateTimeOffset> RunAsync(TaskActivityContext context, ReplaceKeyRequest input)
    {
        await store.RequireAsync(input.ResourceName, context.CancellationToken);
        await store.UpdateAsync(input.ResourceName, r => r.ActivationKeyId == input.KeyId ? r : r with
        {
            ActivationKeyId = input.KeyId,
            ActivationKeyExpiresAt = input.ExpiresAt,
            ServiceEndpoint = input.ServiceEndpoint,
            ActivationKeyDelivered = false,
        }, context.CancellationToken);
        Logs.KeyRegenerated(logger, input.KeyId, input.ResourceName);
        return input.ExpiresAt;
    }
}
