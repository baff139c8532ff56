namespace EdgeKv.Azure.Storage;

/// <summary>
/// A blob container's time-based retention policy: days since each blob's creation, state (Unlocked, Locked), protected
/// appends.
/// </summary>
public sealed record ContainerImmutability(int Days, string State, bool AllowProtectedAppendWrites);
