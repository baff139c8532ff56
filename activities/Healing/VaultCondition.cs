using Azure;
using EdgeKv.Activities.Activation;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records;

namespace EdgeKv.Activities.Healing;

/// <summary>
/// Where a resource's vault stands: present, soft-deleted (recoverable with the same name), or gone (purged, or
/// unreachable: a new name is needed).
/// </summary>
public sealed record VaultCondition(string VaultName, VaultState State, DateTimeOffset? ScheduledPurgeDate)
{
    public static async Task<VaultCondition> InspectAsync(VaultsClient vaults, ResourceRecord record,
        CancellationToken ct)
    {
        string name = record.RequireVault();
        if (await VaultNames.TryGetAsync(vaults, record.ResourceGroup, name,
            ct) is not null) return new VaultCondition(name, VaultState.Present, null);
        try
        {
            DeletedVault deleted = await vaults.GetDeletedAsync(record.Location, name, ct);
            return new VaultCondition(name, VaultState.SoftDeleted, deleted.ScheduledPurgeDate);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new VaultCondition(name, VaultState.Gone, null);
        }
    }
}

public enum VaultState
{
    Present,
    SoftDeleted,
    Gone,
}
