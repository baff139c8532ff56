namespace EdgeKv.Emulator.Authorization;

/// <summary>
/// The role definitions the emulated tenant holds: Azure's built-in roles plus the custom roles configured in
/// <see cref="EmulatorOptions.CustomRoles"/> (as an administrator would have created them before granting them).
/// </summary>
internal sealed class RoleCatalog(IReadOnlyList<BuiltInRole> customRoles)
{
    public IReadOnlyList<BuiltInRole> All { get; } = [.. BuiltInRoles.All, .. customRoles];

    public BuiltInRole? FindById(Guid id) => All.FirstOrDefault(r => r.Id == id);

    public BuiltInRole? FindByName(string name) => All.FirstOrDefault(r => string.Equals(r.Name, name,
        StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the GUID at the end of a role definition id
    /// (<c>/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}</c>).
    /// </summary>
    public BuiltInRole? FindByDefinitionId(string? roleDefinitionId) =>
        roleDefinitionId is not null && Guid.TryParse(roleDefinitionId.TrimEnd('/').Split('/')[^1],
            out var id) ? FindById(id) : null;
}
