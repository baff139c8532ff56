namespace EdgeKv.Functions.Security;

/// <summary>EdgeKv's roles. The first three come from Entra app roles (<c>EdgeKv.SecurityTeam</c>, ...) or EdgeKv's role assignments; <see cref="Device"/> from a device credential.</summary>
public enum EdgeKvRole
{
    SecurityTeam,
    Operator,
    Auditor,
    Device,
}
