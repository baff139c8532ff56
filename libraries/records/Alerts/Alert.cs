using System.Text.Json.Serialization;

namespace EdgeKv.Records.Alerts;

/// <summary>
/// One persisted alert: the resource, what was found (never a secret value), when first and last seen, how often, and
/// the request that heals it. At most one alert per resource and kind is active; a later sweep that no longer finds the
/// fault resolves it.
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
    int Occurrences);

/// <summary>When an alert of a resource was raised and, if it was, resolved.</summary>
public sealed record AlertTimes(string Resource, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt);

/// <summary>A fault seen now on a resource.</summary>
public sealed record AlertObservation(string Resource, AlertKind Kind, string Finding);

/// <summary>What a write did to an alert: raised (new), updated (seen again) or resolved.</summary>
public sealed record AlertChange(string AlertId, string Resource, AlertKind Kind, AlertSeverity Severity,
    AlertChangeKind Change, string Finding);

[JsonConverter(typeof(JsonStringEnumConverter<AlertChangeKind>))]
public enum AlertChangeKind
{
    Raised,
    Updated,
    Resolved,
}
