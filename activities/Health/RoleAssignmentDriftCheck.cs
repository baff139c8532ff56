using System.Collections.Concurrent;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Vaults;
using EdgeKv.Records;
using EdgeKv.Records.Alerts;

namespace EdgeKv.Activities.Health;

/// <summary>
/// Drift of a vault on Azure RBAC, the counterpart of <see cref="AccessPolicyDriftCheck"/> for vaults that ignore
/// access
/// policies: the vault's role assignments (at the vault and on its secrets; those inherited from above belong to the
/// organisation) must be exactly EdgeKv's two, its own and the device identity's, and EdgeKv's roles must still grant
/// exactly what it defined them with. One Resource Manager list per vault; the two role definitions are read once a
/// minute, not per vault. Findings: the device's (or EdgeKv's) assignment missing is <see
/// cref="AlertKind.IdentityAccessMissing"/>, healed by recoverIdentityAccess; anything else is <see
/// cref="AlertKind.RoleAssignmentNotGrantedByEdgeKv"/>.
/// </summary>
public sealed class RoleAssignmentDriftCheck(TimeProvider time) : IVaultHealthCheck
{
    /// <summary>
    /// In every sweep: no fleet list shows a vault's role assignments, and an assignment added out of band must be
    /// found by the next sweep, so an RBAC vault costs one Resource Manager list per sweep (a list at the resource
    /// group's scope would serve a group's vaults at once).
    /// </summary>
    bool IVaultHealthCheck.RunsWhenDue => false;

    async Task<IReadOnlyList<AlertObservation>> IVaultHealthCheck.CheckAsync(VaultCheckContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Vault.EnableRbacAuthorization ? await CheckAsync(context.Azure, context.Record, context.Vault,
            cancellationToken) : [];
    }

    private static readonly TimeSpan DefinitionLifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, RoleDefinition? Role)> definitions = new();

    public async Task<IReadOnlyList<AlertObservation>> CheckAsync(AzureContext az, ResourceRecord record,
        VaultProperties vault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(vault);
        Guid deviceRole = az.VaultRoles.Device;
        Guid serviceRole = az.VaultRoles.Service;
        IReadOnlyList<RoleAssignment> onVault = await OnVaultAsync(az, vault, cancellationToken);
        bool Is(RoleAssignment a, Guid principal, Guid role) => IsAssignment(a, vault, principal, role);
        bool IsEdgeKvs(RoleAssignment a) => IsGrantedByEdgeKv(az, record, vault, a);

        var found = new List<AlertObservation>();
        var missing = new List<string>();
        if (record.PrincipalId is { } principal && !onVault.Any(a => Is(a, principal, deviceRole)))
        {
            missing.Add($"the identity {principal} of '{record.Name}' holds no assignment of EdgeKv's device role (Get and Set on secrets)");
        }

        if (!onVault.Any(a => Is(a, az.ServiceObjectId, serviceRole)))
        {
            missing.Add($"EdgeKv ({az.ServiceObjectId}) holds no assignment of its service role");
        }

        if (missing.Count > 0)
        {
            found.Add(new AlertObservation(record.Name, AlertKind.IdentityAccessMissing, $"On vault '{vault.Name}' (Azure RBAC) {string.Join(", and ", missing)}."));
        }

        // One alert per principal holding assignments EdgeKv did not make (removing them settles it), and one about no
        // principal when EdgeKv's role definitions were changed.
        const string Advice = "Remove each through EdgeKv (vaultRoleAssignments/{assignmentName}/remove) when it is of "
            + "EdgeKv's two roles, in Azure otherwise (EdgeKv may assign and remove only its own two roles); "
            + "recoverIdentityAccess restores EdgeKv's assignments.";
        foreach (IGrouping<Guid, RoleAssignment> held in onVault.Where(a => !IsEdgeKvs(a)).GroupBy(a => a.PrincipalId))
        {
            string holds = string.Join("; ", held.Select(a =>
                $"{a.PrincipalId} holds role {IdentityVaultGrant.RoleIdOf(a)} at {a.Scope} (assignment {a.Name})"));
            found.Add(new AlertObservation(record.Name, AlertKind.RoleAssignmentNotGrantedByEdgeKv,
                $"Vault '{vault.Name}' (Azure RBAC) has access EdgeKv did not grant: {holds}. {Advice}",
                held.Key.ToString()));
        }

        var changed = new List<string>();
        foreach ((Guid role, string name, IReadOnlyList<string> actions) in new[]
        {
            (deviceRole, VaultRoleGrants.DeviceRoleName, VaultRoleGrants.DeviceDataActions),
            (serviceRole, VaultRoleGrants.ServiceRoleName, VaultRoleGrants.ServiceDataActions),
        })
        {
            if (await DefinitionAsync(az, vault.Id, role,
                cancellationToken) is { } definition && !VaultRoleGrants.IsExactly(definition, actions))
            {
                changed.Add($"role '{name}' ({role}) was changed to actions [{string.Join(", ", definition.Actions)}], data actions [{string.Join(", ", definition.DataActions)}]"
                    + " outside EdgeKv, which cannot repair it (it never writes role definitions): redeploy infra/vault-rbac-roles.bicep to restore it");
            }
        }

        if (changed.Count > 0)
        {
            found.Add(new AlertObservation(record.Name, AlertKind.RoleAssignmentNotGrantedByEdgeKv,
                $"Vault '{vault.Name}' (Azure RBAC) has access EdgeKv did not grant: {string.Join("; ", changed)}."));
        }

        return found;
    }

    /// <summary>
    /// The vault's role assignments EdgeKv did not make (at the vault or on its secrets), for the removal heal.
    /// </summary>
    public static async Task<IReadOnlyList<RoleAssignment>> NotGrantedAsync(AzureContext az, ResourceRecord record,
        VaultProperties vault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(az);
        return [.. (await OnVaultAsync(az, vault, cancellationToken)).Where(a => !IsGrantedByEdgeKv(az, record, vault,
            a))];
    }

    /// <summary>
    /// EdgeKv's own assignment or the device identity's, each exactly at the vault with EdgeKv's role.
    /// </summary>
    public static bool IsGrantedByEdgeKv(AzureContext az, ResourceRecord record, VaultProperties vault,
        RoleAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(az);
        ArgumentNullException.ThrowIfNull(record);
        return IsAssignment(assignment, vault, az.ServiceObjectId, az.VaultRoles.Service)
            || (record.PrincipalId is { } p && IsAssignment(assignment, vault, p, az.VaultRoles.Device));
    }

    private static bool IsAssignment(RoleAssignment a, VaultProperties vault, Guid principal, Guid role) =>
        a.PrincipalId == principal && IdentityVaultGrant.RoleIdOf(a) == role && string.Equals(a.Scope.TrimEnd('/'),
            vault.Id, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Assignments at the vault and below it; those inherited from above are the organisation's, not the vault's.
    /// </summary>
    private static async Task<IReadOnlyList<RoleAssignment>> OnVaultAsync(AzureContext az, VaultProperties vault,
        CancellationToken cancellationToken) =>
        [.. (await az.Factory.GetRoleAssignmentsClient().ListAsync(vault.Id,
            cancellationToken: cancellationToken)).Where(a => IsAtOrBelow(a.Scope, vault.Id))];

    private async Task<RoleDefinition?> DefinitionAsync(AzureContext az, string scope, Guid role,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (definitions.TryGetValue(role, out var cached) && now - cached.At < DefinitionLifetime) return cached.Role;
        RoleDefinition? read = await az.Factory.GetRoleDefinitionsClient().GetAsync(scope, role, cancellationToken);
        definitions[role] = (now, read);
        return read;
    }

    private static bool IsAtOrBelow(string id, string scope) =>
        string.Equals(id.TrimEnd('/'), scope.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        || id.StartsWith(scope.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);
}
