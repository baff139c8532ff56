namespace EdgeKv.Records;

/// <summary>
/// What an activation key says: which resource, which EdgeKv endpoint to present it to, which key it is, until when.
/// </summary>
public sealed record ActivationKeyClaims(string ResourceName, string ResourceId, string ServiceEndpoint, string KeyId,
    DateTimeOffset ExpiresAt);
