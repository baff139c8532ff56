using EdgeKv.Activities.Activation;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Tasks;
using EdgeKv.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace EdgeKv.Activities.Secrets;

/// <summary>
/// Subscribes EdgeKv's webhook to the vault's own events: Key Vault's access-policy changes and its secrets nearing or
/// past their expiry (an event subscription on the vault, which creates its system topic). A PUT of the same
/// subscription: running it again changes nothing. The URL, which holds the webhook's key, comes from the settings and
/// never enters the orchestration's history. Answers the subscription's id, or null when no webhook is configured.
/// </summary>
[DurableTask(Name)]
public sealed class SubscribeVaultEventsActivity(AzureContextProvider azure, ResourceStore store,
    IOptions<VaultEventsSettings> settings)
    : TaskActivity<VaultEventsRequest, string?>
{
    public const string Name = "SubscribeVaultEvents";

    public static readonly IReadOnlyList<string> EventTypes =
        [EventSubscriptionsClient.VaultAccessPolicyChanged, "Microsoft.KeyVault.SecretNearExpiry",
            "Microsoft.KeyVault.SecretExpired"];

    public override async Task<string?> RunAsync(TaskActivityContext context, VaultEventsRequest input)
    {
        CancellationToken ct = context.CancellationToken;
        if (settings.Value.WebhookFor(input.ServiceEndpoint) is not { } webhook) return null;
        ResourceRecord record = await store.RequireAsync(input.ResourceName, ct);
        string vaultId = record.VaultId ?? throw new ActivationRefusedException("VaultNotProvisioned",
            $"Resource '{record.Name}' has no vault yet.");
        AzureContext az = await azure.GetAsync(ct);
        EventSubscription subscription = await AzureFailures.RefuseNonTransientAsync(() => az.Factory.GetEventSubscriptionsClient(subscriptionId: record.SubscriptionId)
            .CreateOrUpdateWebhookAsync(vaultId, VaultEventsSettings.SubscriptionName, webhook, EventTypes,
                maxDeliveryAttempts: 30, cancellationToken: ct));
        return subscription.Id;
    }
}

/// <summary>
/// The resource whose vault is subscribed, and the activation's service endpoint (where the webhook is).
/// </summary>
public sealed record VaultEventsRequest(string ResourceName, string ServiceEndpoint);
