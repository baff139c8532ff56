namespace EdgeKv.Activities.Secrets;

/// <summary>
/// One step of a CIK rotation: the resource, the rotation (tags the version it writes), and the version once written.
/// </summary>
public sealed record CikRotationStep(string ResourceName, string RotationId, string? Version = null);

/// <summary>
/// The version a rotation wrote (or found it had written), and whether a device is activated to take it.
/// </summary>
public sealed record CikVersionWritten(string Version, bool DeviceActivated);

/// <summary>How a rotation ended for the record: the version in use and whether it is the rotation's.</summary>
public sealed record CikRotationCompleted(string? CurrentVersion, bool Rotated);
