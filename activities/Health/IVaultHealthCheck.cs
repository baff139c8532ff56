using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// One check the health sweep runs on each managed vault that the fleet list shows. A check that judges from the listed
/// vault alone (access policies), or whose finding must not wait (<see cref="RunsWhenDue"/> false), runs in every
/// sweep; one that reads Azure per vault and can wait (diagnostic settings, the vault's secrets) runs only when the
/// vault's reads are due (<see cref="VaultCheckContext.ReadsDue"/>: its schedule, a change of the listed vault, an
/// event, or a fault found last time), so a steady sweep stays within Resource Manager's read budget. Checks are
/// registered in the container; the sweep runs every one.
/// </summary>
public interface IVaultHealthCheck
{
    /// <summary>True when the check runs only when the vault's reads are due; false: in every sweep.</summary>
    bool RunsWhenDue { get; }

    /// <summary>What the check found wrong with the vault (nothing when healthy).</summary>
    Task<IReadOnlyList<AlertObservation>> CheckAsync(VaultCheckContext context, CancellationToken cancellationToken);
}
