namespace EdgeKv.Emulator;

/// <summary>
/// A role granted to a configured principal at start: <paramref name="Scope"/> is relative to the default subscription
/// (empty for the subscription itself, <c>resourceGroups/{name}</c> for a resource group, which is created if missing,
/// as a deployment into an existing group presumes); <paramref name="Role"/> names a built-in or configured custom
/// role; <paramref name="Condition"/>, an ABAC condition (version 2.0) on the assignment, as a template's
/// <c>condition</c>.
/// </summary>
public sealed record EmulatorRoleGrant(string Scope, string Role, string? Condition = null);
