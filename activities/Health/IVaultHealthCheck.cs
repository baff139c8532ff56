using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// One check the health sweep runs on each managed vault that the fleet list shows. A check that judges from the listed
/// vault alone (<see cref="ReadsPerVault"/> false: access policies, the permission model) runs in every sweep at no
/// cost; one that reads Azure per vault (diagnostic settings, the vault's secrets, its role assignments) runs only when
/// the vault's reads are due (<see cref="VaultCheckContext.ReadsDue"/>: its schedule, a change of the listed vault, an
/// event, or a fault found last time), so a steady sweep stays within Resource Manager's read budget. Checks are
/// registered in the container; the sweep runs every one.
/// </summary>
public interface IVaultHealthCheck
{
    /// <summary>True when the check makes its own calls per vault, and so runs only when the vault's reads are due.</summary>
    bool ReadsPerVault { get; }

    /// <summary>What the check found wrong with the vault (nothing when healthy).</summary>
    Task<IReadOnlyList<AlertObservation>> CheckAsync(VaultCheckContext context, CancellationToken cancellationToken);
}
