using System.Text.Json.Nodes;

namespace EdgeKv.Emulator.EventGrid;

/// <summary>
/// An event to deliver: id, type, subject, time, data, and the resource it concerns (which subscriptions' scopes are
/// matched against). <see cref="Topic"/> null means "the subscription's scope" (Resource Manager's resource-group or
/// subscription topics); Key Vault events carry the vault's id.
/// </summary>
internal sealed record EmulatorEvent(string Id, string EventType, string Subject, DateTimeOffset Time, JsonObject Data,
    string ResourceId, string? Topic,
    string DataVersion = "2");
