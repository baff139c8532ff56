namespace EdgeKv.Records.AccessPolicies;

/// <summary>
/// An access policy entry the security team accepted on a resource's vault: the principal, the permissions it held when
/// accepted (normalized, so a later widening alerts again), who accepted it and when.
/// </summary>
public sealed record AcceptedAccessPolicy(string Resource, string ObjectId, string Permissions, string AcceptedBy,
    DateTimeOffset AcceptedAt);
