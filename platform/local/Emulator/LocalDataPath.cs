namespace EdgeKv.Local.Emulator;

/// <summary>
/// The host's data path (absolute): the task hub, EdgeKv's store, the signing key and the local emulator live under it.
/// </summary>
public sealed record LocalDataPath(string Path);
