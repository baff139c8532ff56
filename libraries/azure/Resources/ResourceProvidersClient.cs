using global::Azure.ResourceManager;
using global::Azure.ResourceManager.Resources;

namespace EdgeKv.Azure.Resources;

/// <summary>Resource provider registration (Microsoft.KeyVault must be registered before activation).</summary>
public sealed class ResourceProvidersClient(ArmClient client, string subscriptionId)
{
    public async Task<ProviderRegistration> GetAsync(string providerNamespace,
        CancellationToken cancellationToken = default)
    {
        var provider = await Subscription.GetResourceProviderAsync(providerNamespace,
            cancellationToken: cancellationToken);
        return new ProviderRegistration(provider.Value.Data.Namespace, provider.Value.Data.RegistrationState);
    }

    public async Task<ProviderRegistration> RegisterAsync(string providerNamespace,
        CancellationToken cancellationToken = default)
    {
        var provider = await Subscription.GetResourceProviderAsync(providerNamespace,
            cancellationToken: cancellationToken);
        var registered = await provider.Value.RegisterAsync(cancellationToken: cancellationToken);
        return new ProviderRegistration(registered.Value.Data.Namespace, registered.Value.Data.RegistrationState);
    }

    private SubscriptionResource Subscription => client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId));
}
