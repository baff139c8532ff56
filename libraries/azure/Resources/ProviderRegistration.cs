namespace EdgeKv.Azure.Resources;

/// <summary>A resource provider's registration state on the subscription.</summary>
public sealed record ProviderRegistration(string Namespace, string RegistrationState)
{
    public bool IsRegistered => string.Equals(RegistrationState, "Registered", StringComparison.OrdinalIgnoreCase);
}
