using System.Text.Json.Serialization;

namespace EdgeKv.Records.Alerts;

/// <summary>
/// One persisted alert: the resource, the principal it is about (an Entra object id; null when none), what was found
/// (never a secret value), when first and last seen, how often, and the request that heals it. At most one alert per
/// resource, kind and principal is active; a later sweep that no longer finds the fault, a healing flow or the
/// security team resolves it. <see cref="Category"/> follows from the kind.
/// </summary>
public sealed record Alert(
    string Id,
    string Resource,
    AlertKind Kind,
    AlertSeverity Severity,
    AlertState State,
    string Finding,
    string Healing,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset? ResolvedAt,
    int Occurrences,
    string? Principal = null)
{
    public AlertCategory Category => AlertKinds.CategoryOf(Kind);
}

/// <summary>When an alert of a resource was raised and, if it was, resolved.</summary>
public sealed record AlertTimes(string Resource, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

/// <summary>A fault seen now on a resource (about <paramref name="Principal"/>, when it concerns one).</summary>
public sealed record AlertObservation(string Resource, AlertKind Kind, string Finding, string? Principal = null);

/// <summary>What a write did to an alert: raised (new), updated (seen again) or resolved.</summary>
public sealed record AlertChange(string AlertId, string Resource, AlertKind Kind, AlertSeverity Severity,
    AlertChangeKind Change, string Finding, string? Principal = null);

[JsonConverter(typeof(JsonStringEnumConverter<AlertChangeKind>))]
public enum AlertChangeKind
{
    Raised,
    Updated,
    Resolved,
}
