using System.Security.Cryptography;
using System.Text;
using EdgeKv.Activities;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Authorization;

namespace EdgeKv.Local.Emulator;

/// <summary>
/// EdgeKv's principal in an emulator with the privileges of a real deployment: exactly the roles infra/main.bicep
/// grants EdgeKv's identity on the fleet's resource group, and its module at the subscription (<see
/// cref="InfraTemplateRoles"/>), instead of Owner. Built-in roles are granted by id; the templates' custom roles become
/// the tenant's custom roles. Local mode and every test emulator start with it; the Azure-mode rehearsal grants the
/// same to the identity it deploys. With a fleet (<c>fleetSubscriptions</c> in infra/main.bicep), the roles of
/// infra/fleet-roles.bicep at the subscription as well, in every subscription the emulator seeds. In RBAC mode, also
/// the two vault data roles infra/vault-rbac-roles.bicep defines (EdgeKv assigns them; <see cref="VaultDataRoleIds"/>
/// are the ids the local host sets as EdgeKv's settings) and the conditioned right to assign them, its ABAC condition
/// carried through with the emulator's ids of those roles.
/// </summary>
public static partial class TemplateRolesInEmulator
{
    public static EmulatorOptions WithTemplateRoles(this EmulatorOptions options, string resourceGroup,
        bool fleet = false, bool vaultRbac = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        (IReadOnlyList<EmulatorRoleGrant> grants, IReadOnlyList<BuiltInRole> custom) = Read(resourceGroup, fleet,
            vaultRbac);
        options.CustomRoles = [.. options.CustomRoles, .. custom];
        options.Principals = [.. options.Principals.Select(p => p.Name != EmulatorPrincipals.EdgeKvService ? p : p with { SubscriptionRole = null, RoleGrants = grants })];
        return options;
    }

    /// <summary>
    /// The templates' grants (scope relative to the subscription: <c>resourceGroups/{group}</c> or empty for the
    /// subscription itself; role by name) and their custom roles as role definitions with stable ids; with <paramref
    /// name="vaultRbac"/>, also the group role main.bicep adds when vaults use Azure RBAC, with its condition, and the
    /// module's two vault data roles.
    /// </summary>
    public static (IReadOnlyList<EmulatorRoleGrant> Grants,
        IReadOnlyList<BuiltInRole> CustomRoles) Read(string resourceGroup, bool fleet = false, bool vaultRbac = false)
    {
        var grants = new List<EmulatorRoleGrant>();
        var custom = new List<BuiltInRole>();
        var templates = new List<(string Template,
            string Scope)> { (InfraTemplateRoles.MainTemplate, $"resourceGroups/{resourceGroup}"),
                (InfraTemplateRoles.SubscriptionTemplate, "") };
        if (fleet) templates.Add((InfraTemplateRoles.FleetTemplate, ""));
        if (vaultRbac) templates.Add((InfraTemplateRoles.VaultRbacTemplate, $"resourceGroups/{resourceGroup}"));
        if (vaultRbac && fleet) templates.Add((InfraTemplateRoles.VaultRbacFleetTemplate, ""));
        foreach ((string template, string scope) in templates)
        {
            foreach (InfraTemplateRoles.Grant grant in InfraTemplateRoles.Grants(InfraTemplateRoles.Embedded(template)))
            {
                BuiltInRole role;
                if (grant.BuiltInRoleId is { } id)
                {
                    role = BuiltInRoles.FindById(id) ?? throw new InvalidOperationException($"{template} grants role {id}, which the emulator does not know.");
                }
                else
                {
                    // Roles are granted by name: the fleet template's roles, named like the group's, get names of their
                    // own.
                    string name = custom.Any(c => string.Equals(c.Name, grant.CustomRoleName,
                        StringComparison.OrdinalIgnoreCase)) ? $"{grant.CustomRoleName} (fleet)" : grant.CustomRoleName!;
                    role = new BuiltInRole(new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{template}|{grant.Symbol}"))[..16]),
                        name, $"Custom role '{grant.Symbol}' of {template}.", grant.Actions, grant.NotActions,
                        grant.DataActions);
                    custom.Add(role);
                }

                // A condition names the vault data roles by their symbol in the RBAC module or by the fleet module's
                // parameters.
                VaultRoleIds ids = VaultDataRoleIds();
                string? condition = grant.Condition?.Replace("${deviceRoleDefinitionId}", ids.Device.ToString(),
                    StringComparison.Ordinal)
                    .Replace("${serviceRoleDefinitionId}", ids.Service.ToString(), StringComparison.Ordinal);
                condition = condition is null ? null : SymbolName().Replace(condition,
                    m => IdOf(template, m.Groups["symbol"].Value).ToString());
                grants.Add(new EmulatorRoleGrant(scope, role.Name, condition));
            }
        }

        if (vaultRbac) custom.AddRange(VaultDataRoles());
        return (grants, custom);
    }

    /// <summary>
    /// The emulator's ids of RBAC mode's two vault data roles: what the local host sets as EdgeKv:VaultRoles:*.
    /// </summary>
    public static VaultRoleIds VaultDataRoleIds() =>
        new(IdOf(InfraTemplateRoles.VaultRbacTemplate, DeviceRoleSymbol),
            IdOf(InfraTemplateRoles.VaultRbacTemplate, ServiceRoleSymbol));

    /// <summary>
    /// RBAC mode's two vault data roles as the emulator's custom roles, for an emulator whose principals are granted
    /// otherwise.
    /// </summary>
    public static IReadOnlyList<BuiltInRole> VaultDataRoles() =>
        [.. InfraTemplateRoles.Definitions(InfraTemplateRoles.Embedded(InfraTemplateRoles.VaultRbacTemplate))
            .Where(d => d.Symbol is DeviceRoleSymbol or ServiceRoleSymbol)
            .Select(d => new BuiltInRole(IdOf(InfraTemplateRoles.VaultRbacTemplate, d.Symbol), d.Name,
                $"Custom role '{d.Symbol}' of {InfraTemplateRoles.VaultRbacTemplate}.",
                d.Actions, d.NotActions, d.DataActions))];

    private const string DeviceRoleSymbol = "deviceSecretAccessRole";
    private const string ServiceRoleSymbol = "serviceSecretAccessRole";

    private static Guid IdOf(string template,
        string symbol) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"{template}|{symbol}"))[..16]);

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{(?<symbol>\w+)\.name\}",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SymbolName();
}
