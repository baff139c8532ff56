namespace EdgeKv.Emulator;

/// <summary>
/// A configured principal of the token service: a service principal (client id and secret, client-credentials flow).
/// <paramref name="SubscriptionRole"/> is a built-in role name granted on the default subscription at first start;
/// <paramref name="AppRoles"/> go into the token's <c>roles</c> claim; <paramref name="RoleGrants"/> are roles at
/// narrower scopes (a resource group), granted at start as well; <paramref name="Groups"/> are the object ids of the
/// security groups it is a member of, in the token's <c>groups</c> claim (over Entra's limit, an overage indicator
/// instead).
/// </summary>
public sealed record EmulatorPrincipal(
    string Name,
    Guid ClientId,
    string ClientSecret,
    Guid ObjectId,
    string? SubscriptionRole = null,
    IReadOnlyList<string>? AppRoles = null,
    IReadOnlyList<EmulatorRoleGrant>? RoleGrants = null,
    IReadOnlyList<Guid>? Groups = null);
