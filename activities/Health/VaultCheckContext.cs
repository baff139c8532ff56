using EdgeKv.Azure.Vaults;
using EdgeKv.Records;

namespace EdgeKv.Activities.Health;

/// <summary>
/// What a <see cref="IVaultHealthCheck"/> is given: where Azure is, the subscription the resource lives in, the
/// resource as EdgeKv records it, its vault as the fleet list showed it, and whether the per-vault reads are due in
/// this sweep.
/// </summary>
public sealed record VaultCheckContext(AzureContext Azure, string SubscriptionId, ResourceRecord Record,
    VaultProperties Vault, bool ReadsDue)
{
    public EdgeKv.Records.Alerts.AlertObservation Finding(EdgeKv.Records.Alerts.AlertKind kind,
        string finding) => new(Record.Name, kind, finding);
}
