using EdgeKv.Emulator.Store;

namespace EdgeKv.Emulator.Authorization;

/// <summary>Management-plane authorization: a role assignment at the scope or above whose role allows the action.</summary>
internal sealed class RoleAuthorizer(IDocumentStore store)
{
    public const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";

    public Task<bool> IsAllowedAsync(Guid principalId, string scope, string action, CancellationToken cancellationToken) =>
        AnyRoleAsync(principalId, scope, role => role.Allows(action), cancellationToken);

    /// <summary>
    /// Data-plane authorization by role: a role whose data actions allow <paramref name="dataAction"/>, or one that allows
    /// <paramref name="keyAction"/> (such as <c>listKeys</c>, whose holders can act with the account key anyway).
    /// </summary>
    public Task<bool> IsDataActionAllowedAsync(Guid principalId, string scope, string dataAction, string keyAction, CancellationToken cancellationToken) =>
        AnyRoleAsync(principalId, scope, role => role.AllowsData(dataAction) || role.Allows(keyAction), cancellationToken);

    private async Task<bool> AnyRoleAsync(Guid principalId, string scope, Func<BuiltInRole, bool> allows, CancellationToken cancellationToken)
    {
        foreach (var assignment in await store.ListAsync(Collections.Resources, cancellationToken))
        {
            if (!string.Equals((string?)assignment["type"], RoleAssignmentType, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var properties = assignment["properties"]!.AsObject();
            if (!Guid.TryParse((string?)properties["principalId"], out var assigned) || assigned != principalId)
            {
                continue;
            }

            if (!ScopePath.IsAtOrBelow(scope, (string)properties["scope"]!))
            {
                continue;
            }

            if (BuiltInRoles.FindByDefinitionId((string?)properties["roleDefinitionId"]) is { } role && allows(role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the principal holds any role assignment under the subscription (what makes it visible in a list).</summary>
    public async Task<bool> HasAnyAssignmentAsync(Guid principalId, string subscriptionId, CancellationToken cancellationToken) =>
        (await store.ListAsync(Collections.Resources, cancellationToken)).Any(assignment =>
            string.Equals((string?)assignment["type"], RoleAssignmentType, StringComparison.OrdinalIgnoreCase) &&
            Guid.TryParse((string?)assignment["properties"]?["principalId"], out var assigned) && assigned == principalId &&
            ScopePath.IsAtOrBelow((string)assignment["properties"]!["scope"]!, $"/subscriptions/{subscriptionId}"));
}
