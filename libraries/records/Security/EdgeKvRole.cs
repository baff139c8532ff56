using System.Text.Json.Serialization;

namespace EdgeKv.Records.Security;

/// <summary>
/// EdgeKv's roles. The first three come from Entra app roles (<c>EdgeKv.SecurityTeam</c>, ...) or EdgeKv's role
/// assignments; <see cref="Device"/> from a device credential. Written by name wherever it is serialized
/// (<c>"role":"SecurityTeam"</c>), never as a number.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<EdgeKvRole>))]
public enum EdgeKvRole
{
    SecurityTeam,
    Operator,
    Auditor,
    Device,
}
