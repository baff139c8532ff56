using Azure.Security.KeyVault.Secrets;
using EdgeKv.Tasks;
using Microsoft.DurableTask;
using EdgeKv.Records;
using Microsoft.Extensions.Logging;

namespace EdgeKv.Activities.Activation;

/// <summary>
/// Step 10: proves the identity's access, then makes <paramref name="IssueKeyRequest.KeyId"/> the resource's current
/// activation key (which invalidates any earlier one). Only the key's id and expiry are kept; the signed key is derived
/// from them when the operator fetches it once from <c>GET /api/resources/{name}/activationKey</c>, so it never enters
/// orchestration state. Where EdgeKv can sign in as the identity (local mode), the proof is reading the CIK's metadata
/// with the identity's own token. In Azure, where only the resource's own service can, the proof is the grant itself
/// (<see cref="IdentityVaultGrant"/>: the identity on and unchanged, the vault on access policies, exactly Get and Set
/// on secrets for it) and the CIK read by EdgeKv; a grant not in force refuses the step with what was found.
/// </summary>
[DurableTask(Name)]
public sealed class IssueActivationKeyActivity(AzureContextProvider azure, ResourceStore store,
    ILogger<IssueActivationKeyActivity> logger)
    : TaskActivity<IssueKeyRequest, DateTimeOffset>
{
    public const string Name = "IssueActivationKey";

    public override async Task<DateTimeOffset> RunAsync(TaskActivityContext context, IssueKeyRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        AzureContext az = await azure.GetAsync(ct);
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string cik = record.CikSecretName ?? throw new ActivationRefusedException("ChannelIntegrityKeyMissing",
            $"Resource '{record.Name}' has no channel integrity key yet.");
        SecretClient vault;
        if (az.ActsAsResourceIdentity)
        {
            vault = await az.CreateIdentitySecretClientAsync(record, ct);
        }
        else
        {
            if (await AzureFailures.RefuseNonTransientAsync(() => IdentityVaultGrant.CheckAsync(az, record,
                ct)) is { } refusal)
            {
                throw new ActivationRefusedException(refusal.Code, refusal.Message);
            }

            vault = az.CreateServiceSecretClient(new Uri(record.VaultUri!));
        }

        await AzureFailures.RefuseNonTransientAsync(async () => (await vault.GetSecretAsync(cik,
            record.CikSecretVersion, ct)).Value.Properties.Version);

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
