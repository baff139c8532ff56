namespace EdgeKv.Records.Security;

/// <summary>
/// An alert for the security team (a self-granted data-plane right, an access policy EdgeKv did not grant).
/// </summary>
public sealed record SecurityAlert(long Sequence, DateTimeOffset Time, string Kind, string? Resource, string? Principal,
    string Message);
