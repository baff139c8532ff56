namespace EdgeKv.Azure.Storage;

/// <summary>How many days deleted blobs and deleted containers are kept (null: soft delete off).</summary>
public sealed record BlobDeleteRetention(int? BlobDays, int? ContainerDays);
