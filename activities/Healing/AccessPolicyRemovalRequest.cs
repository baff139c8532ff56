namespace EdgeKv.Activities.Healing;

/// <summary>
/// Input of the access-policy heal: the resource and the object id of the entry EdgeKv did not grant. Persisted in
/// history.
/// </summary>
public sealed record AccessPolicyRemovalRequest(string ResourceName, string ObjectId);
