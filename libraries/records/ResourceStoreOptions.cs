namespace EdgeKv.Records;

/// <summary>Where EdgeKv's own store lives: a SQLite file beside the task hub, under the data path.</summary>
public sealed record ResourceStoreOptions(string DatabasePath);
