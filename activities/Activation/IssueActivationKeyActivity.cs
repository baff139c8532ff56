using Azure.Security.KeyVault.Secrets;
using EdgeKv.Durable;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 10: proves the identity's access by reading the CIK's metadata from the vault with the identity's own token,
/// then makes <paramref name="IssueKeyRequest.KeyId"/> the resource's current activation key (which invalidates any
/// earlier one). Only the key's id and expiry are kept; the signed key is derived from them when the operator fetches
/// it once from <c>GET /api/resources/{name}/activationKey</c>, so it never enters orchestration state.
/// </summary>
[DurableTask(Name)]
public sealed class IssueActivationKeyActivity(AzureContextProvider azure, ResourceStore store, ILogger<IssueActivationKeyActivity> logger)
    : TaskActivity<IssueKeyRequest, DateTimeOffset>
{
    public const string Name = "IssueActivationKey";

    public override async Task<DateTimeOffset> RunAsync(TaskActivityContext context, IssueKeyRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string cik = record.CikSecretName ?? throw new ActivationRefusedException("ChannelIntegrityKeyMissing", $"Resource '{record.Name}' has no channel integrity key yet.");
        SecretClient asIdentity = await az.CreateIdentitySecretClientAsync(record.ResourceId, new Uri(record.VaultUri!), ct);
        await AzureFailures.RefuseNonTransientAsync(async () => (await asIdentity.GetSecretAsync(cik, record.CikSecretVersion, ct)).Value.Properties.Version);

        await store.UpdateAsync(record.Name, r => r.ActivationKeyId == input.KeyId ? r : r with
        {
            ActivationKeyId = input.KeyId,
            ActivationKeyExpiresAt = input.ExpiresAt,
            ServiceEndpoint = input.ServiceEndpoint,
            ActivationKeyDelivered = false,
            ActivationState = ActivationState.KeyIssued,
        }, ct);
        Logs.KeyIssued(logger, input.KeyId, record.Name, input.ExpiresAt);
        return input.ExpiresAt;
    }
}
