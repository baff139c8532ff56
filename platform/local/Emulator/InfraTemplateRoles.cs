using System.Text.RegularExpressions;

namespace EdgeKv.Local.Emulator;

/// <summary>
/// Reads from <c>infra/main.bicep</c> and its module <c>infra/subscription-roles.bicep</c> (embedded in this assembly
/// at build) the roles the templates grant EdgeKv's identity on the fleet's resource group and on the subscription:
/// each role assignment without a <c>scope</c> (in main.bicep, those with one are on the app's own storage account),
/// resolved to a built-in role id (<c>subscriptionResourceId('Microsoft.Authorization/roleDefinitions', var)</c>) or to
/// the template's custom role definition (<c>symbol.id</c>) with its actions. Local mode grants exactly these to the
/// emulator's EdgeKv principal, so the tests run with the template's privileges and no more. <c>EdgeKv.Infra.Tests</c>
/// checks this reading against the template compiled by the Bicep CLI. Depends on nothing but the BCL, so that test
/// compiles this file on its own.
/// </summary>
public static partial class InfraTemplateRoles
{
    public const string MainTemplate = "EdgeKv.Infra.main.bicep";
    public const string SubscriptionTemplate = "EdgeKv.Infra.subscription-roles.bicep";
    public const string FleetTemplate = "EdgeKv.Infra.fleet-roles.bicep";

    /// <summary>The group roles main.bicep adds in RBAC mode (vaultPermissionModel = 'Rbac').</summary>
    public const string VaultRbacTemplate = "EdgeKv.Infra.vault-rbac-roles.bicep";

    /// <summary>The subscription roles main.bicep adds in RBAC mode for each subscription of a fleet.</summary>
    public const string VaultRbacFleetTemplate = "EdgeKv.Infra.vault-rbac-fleet-roles.bicep";

    /// <summary>
    /// One role granted on the group: a built-in role's id, or a custom role's name and permissions (<see
    /// cref="CustomRoleSymbol"/> its resource symbol); <see cref="Condition"/> the assignment's ABAC condition as the
    /// template writes it, its <c>${symbol.name}</c> references to the template's role definitions left for the reader
    /// to resolve.
    /// </summary>
    public sealed record Grant(string Symbol, Guid? BuiltInRoleId, string? CustomRoleName,
        IReadOnlyList<string> Actions, IReadOnlyList<string> NotActions,
        IReadOnlyList<string> DataActions, string? CustomRoleSymbol = null, string? Condition = null);

    /// <summary>
    /// A custom role the template defines, granted to EdgeKv or not (RBAC mode's vault data roles are assigned by
    /// EdgeKv itself).
    /// </summary>
    public sealed record Definition(string Symbol, string Name, IReadOnlyList<string> Actions,
        IReadOnlyList<string> NotActions, IReadOnlyList<string> DataActions);

    /// <summary>Every custom role definition of a template.</summary>
    public static IReadOnlyList<Definition> Definitions(string bicep)
    {
        ArgumentNullException.ThrowIfNull(bicep);
        return [.. Blocks(bicep, "Microsoft.Authorization/roleDefinitions").Select(b => new Definition(b.Symbol,
            RoleNamePattern().Match(b.Body) is { Success: true } n ? n.Groups["value"].Value.TrimEnd(' ',
                '(') : b.Symbol,
            List(b.Body, "actions"), List(b.Body, "notActions"), List(b.Body, "dataActions")))];
    }

    /// <summary>
    /// A template embedded in this assembly (<see cref="MainTemplate"/> or <see cref="SubscriptionTemplate"/>).
    /// </summary>
    public static string Embedded(string resourceName)
    {
        using Stream stream = typeof(InfraTemplateRoles).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"{resourceName} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The roles a template assigns at its own target scope (the resource group for main.bicep, the subscription for
    /// its module).
    /// </summary>
    public static IReadOnlyList<Grant> Grants(string bicep)
    {
        ArgumentNullException.ThrowIfNull(bicep);
        Dictionary<string, string> variables = VariablePattern().Matches(bicep).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
        Dictionary<string, string> definitions = Blocks(bicep,
            "Microsoft.Authorization/roleDefinitions").ToDictionary(b => b.Symbol, b => b.Body, StringComparer.Ordinal);
        var grants = new List<Grant>();
        foreach ((string symbol, string body) in Blocks(bicep, "Microsoft.Authorization/roleAssignments"))
        {
            if (ScopePattern().IsMatch(body)) continue; // on a resource of the template (the app's storage account), not on the group
            string definition = DefinitionPattern().Match(body) is { Success: true } m ? m.Groups["value"].Value.Trim()
                : throw new InvalidOperationException($"Role assignment '{symbol}' has no roleDefinitionId.");
            if (BuiltInPattern().Match(definition) is { Success: true } builtIn)
            {
                string variable = builtIn.Groups["var"].Value;
                string id = variables.TryGetValue(variable,
                    out string? value) ? value : throw new InvalidOperationException($"Variable '{variable}' is not a role id.");
                grants.Add(new Grant(symbol, Guid.Parse(id), null, [], [], []));
            }
            else if (CustomPattern().Match(definition) is { Success: true } custom && definitions.TryGetValue(custom.Groups["symbol"].Value, out string? role))
            {
                string name = RoleNamePattern().Match(role) is { Success: true } n ? n.Groups["value"].Value.TrimEnd(' ', '(') : custom.Groups["symbol"].Value;
                grants.Add(new Grant(symbol, null, name, List(role, "actions"), List(role, "notActions"),
                    List(role, "dataActions"), custom.Groups["symbol"].Value,
                    ConditionOf(bicep, body)));
            }
            else
            {
                throw new InvalidOperationException($"Role assignment '{symbol}' names a role this reader does not resolve: {definition}");
            }
        }

        return grants;
    }

    /// <summary>
    /// An assignment's <c>condition</c>: a quoted string or a variable holding one, with <c>${variable}</c> references
    /// expanded and Bicep's <c>\'</c> unescaped; <c>${symbol.name}</c> references stay. Null when the assignment has
    /// none.
    /// </summary>
    private static string? ConditionOf(string bicep, string body)
    {
        if (ConditionPattern().Match(body) is not { Success: true } m) return null;
        Dictionary<string, string> strings = StringVariablePattern().Matches(bicep).ToDictionary(v => v.Groups["name"].Value, v => v.Groups["value"].Value, StringComparer.Ordinal);
        string value = m.Groups["value"].Value.Trim();
        string text = value.StartsWith('\'') && value.EndsWith('\'') ? value[1..^1]
            : strings.TryGetValue(value,
                out string? held) ? held : throw new InvalidOperationException($"The condition '{value}' is neither a string nor a string variable.");
        for (int depth = 0; depth < 4; depth++)
        {
            text = InterpolationPattern().Replace(text,
                i => strings.TryGetValue(i.Groups["name"].Value, out string? inner) ? inner : i.Value);
        }

        return text.Replace("\\'", "'", StringComparison.Ordinal);
    }

    /// <summary>
    /// Each <c>resource symbol 'type@version' = { ... }</c> of the type, with its body up to the closing brace at the
    /// start of a line.
    /// </summary>
    private static IEnumerable<(string Symbol, string Body)> Blocks(string bicep, string type)
    {
        foreach (Match start in ResourcePattern().Matches(bicep))
        {
            if (!string.Equals(start.Groups["type"].Value, type, StringComparison.OrdinalIgnoreCase)) continue;
            int end = bicep.IndexOf("\n}", start.Index, StringComparison.Ordinal);
            yield return (start.Groups["symbol"].Value, bicep[start.Index..(end < 0 ? bicep.Length : end)]);
        }
    }

    private static string[] List(string body, string name) =>
        Regex.Match(body, $@"\b{name}:\s*\[(?<items>[^\]]*)\]", RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1)) is { Success: true } m
            ? [.. QuotedPattern().Matches(m.Groups["items"].Value).Select(q => q.Groups["value"].Value)]
            : [];

    [GeneratedRegex(@"^var\s+(?<name>\w+)\s*=\s*'(?<value>[0-9a-fA-F-]{36})'",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^var\s+(?<name>\w+)\s*=\s*'(?<value>(?:[^'\\\r\n]|\\.)*)'\s*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StringVariablePattern();

    [GeneratedRegex(@"^\s+condition:\s*(?<value>[^\r\n]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"\$\{(?<name>\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex InterpolationPattern();

    [GeneratedRegex(@"^resource\s+(?<symbol>\w+)\s+'(?<type>[^'@]+)@[^']+'\s*=",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePattern();

    [GeneratedRegex(@"^\s+scope:", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();

    [GeneratedRegex(@"roleDefinitionId:\s*(?<value>[^\r\n]+)", RegexOptions.CultureInvariant)]
    private static partial Regex DefinitionPattern();

    [GeneratedRegex(@"^subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*(?<var>\w+)\)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex BuiltInPattern();

    [GeneratedRegex(@"^(?<symbol>\w+)\.id$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomPattern();

    [GeneratedRegex(@"roleName:\s*'(?<value>[^'$]*)", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"'(?<value>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPattern();
}
