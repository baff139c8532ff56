namespace EdgeKv.Azure.Locks;

/// <summary>A management lock (<c>CanNotDelete</c> or <c>ReadOnly</c>) on a scope.</summary>
public sealed record ResourceLock(string Id, string Name, string Level, string? Notes);
