using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Emulator.Identity;

namespace EdgeKv.Emulator.Arm.Handlers;

/// <summary>Microsoft.Authorization/roleAssignments at any scope (grant, get, list, delete).</summary>
internal sealed partial class RoleAssignmentsApi(ArmServices services, PrincipalDirectory directory,
    RoleDefinitionDirectory definitions) : IArmRouteSource
{
    private const string Type = RoleAuthorizer.RoleAssignmentType;

    public IEnumerable<ArmRoute> Routes =>
        ArmRoute.ForExtensionResource(Type, respectsLocks: false, ListAsync, GetAsync, PutAsync, DeleteAsync);

    [GeneratedRegex(@"principalId\s+eq\s+'(?<id>[^']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex PrincipalFilter();

    private async Task<ArmResponse> ListAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var scope = request["scope"];
        var filter = request.Query("$filter") ?? string.Empty;
        var atScopeOnly = filter.Contains("atScope()", StringComparison.OrdinalIgnoreCase);
        var principal = PrincipalFilter().Match(filter) is { Success: true } match ? match.Groups["id"].Value : null;
        var result = (await services.Resources.ListAsync(Type, cancellationToken)).Where(doc =>
        {
            var assignedScope = (string)doc["properties"]!["scope"]!;
            var inScope = ScopePath.IsAtOrBelow(scope,
                assignedScope) || (!atScopeOnly && ScopePath.IsAtOrBelow(assignedScope, scope));
            return inScope && (principal is null || string.Equals((string?)doc["properties"]!["principalId"], principal,
                StringComparison.OrdinalIgnoreCase));
        });
        return ArmResponse.List(result);
    }

    private async Task<ArmResponse> GetAsync(ArmRequest request, CancellationToken cancellationToken) =>
        await services.Resources.GetAsync(request.Path, cancellationToken) is { } found
            ? ArmResponse.Ok(found)
            : throw new ArmErrorException(404, "RoleAssignmentNotFound", "The role assignment does not exist.");

    private async Task<ArmResponse> PutAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request["name"], out var name))
        {
            throw ArmErrors.InvalidRoleAssignmentId(request["name"]);
        }

        var body = await request.ReadBodyAsync(cancellationToken);
        var properties = JsonBody.Object(body,
            "properties") ?? throw ArmErrors.InvalidRequestContent("The property 'properties' is required");
        var definitionId = JsonBody.String(properties,
            "roleDefinitionId") ?? throw ArmErrors.InvalidRequestContent("The property 'roleDefinitionId' is required");
        var scope = request["scope"];
        // A custom role outside its assignable scopes is not visible there: Azure answers as for a role that does not
        // exist.
        var role = await definitions.FindByDefinitionIdAsync(definitionId,
            cancellationToken) is { } found && found.IsAssignableAt(scope)
            ? found
            : throw ArmErrors.RoleDefinitionDoesNotExist(definitionId);
        var principalText = JsonBody.String(properties,
            "principalId") ?? throw ArmErrors.InvalidRequestContent("The property 'principalId' is required");
        if (!Guid.TryParse(principalText, out var principalId) || !await directory.ExistsAsync(principalId,
            cancellationToken))
        {
            throw ArmErrors.PrincipalNotFound(principalText, services.Settings.TenantId);
        }

        var condition = ReadCondition(properties);
        await AuthorizeAsync(request,
            new RoleAssignmentCondition.Attributes("Microsoft.Authorization/roleAssignments/write", role.Id, null),
            cancellationToken);
        var existing = await services.Resources.GetAsync(request.Path, cancellationToken);
        var assignment = RoleAssignmentDocument.Create(scope, name, role, principalId,
            JsonBody.String(properties, "principalType") ?? "ServicePrincipal", services.Clock.GetUtcNow(), condition);
        if (existing is not null)
        {
            var same = string.Equals((string?)existing["properties"]!["principalId"], principalId.ToString(),
                StringComparison.OrdinalIgnoreCase) &&
                (await definitions.FindByDefinitionIdAsync((string?)existing["properties"]!["roleDefinitionId"],
                    cancellationToken))?.Id == role.Id;
            return same ? ArmResponse.Ok(existing) : throw ArmErrors.RoleAssignmentUpdateNotPermitted();
        }

        var duplicate = (await services.Resources.ListAsync(Type, cancellationToken)).Any(doc =>
            string.Equals((string?)doc["properties"]!["scope"], scope.TrimEnd('/'),
                StringComparison.OrdinalIgnoreCase) &&
            string.Equals((string?)doc["properties"]!["principalId"], principalId.ToString(),
                StringComparison.OrdinalIgnoreCase) &&
            string.Equals(((string?)doc["properties"]!["roleDefinitionId"])?.TrimEnd('/').Split('/')[^1],
                role.Id.ToString(), StringComparison.OrdinalIgnoreCase));
        if (duplicate)
        {
            throw ArmErrors.RoleAssignmentExists();
        }

        await services.Resources.PutAsync(assignment, cancellationToken);
        return ArmResponse.Created(assignment);
    }

    private async Task<ArmResponse> DeleteAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        if (await services.Resources.GetAsync(request.Path, cancellationToken) is not { } existing)
        {
            return ArmResponse.NoContent();
        }

        var role = await definitions.FindByDefinitionIdAsync((string?)existing["properties"]!["roleDefinitionId"],
            cancellationToken);
        await AuthorizeAsync(request,
            new RoleAssignmentCondition.Attributes("Microsoft.Authorization/roleAssignments/delete", null, role?.Id),
            cancellationToken);
        await services.Resources.DeleteTreeAsync(request.Path, cancellationToken);
        return ArmResponse.Ok(existing);
    }

    /// <summary>
    /// The caller's conditions, now that the assignment's role is known (admission left them: a condition on role
    /// assignments reads the role requested or deleted); refused as Resource Manager refuses any action not granted.
    /// </summary>
    private async Task AuthorizeAsync(ArmRequest request, RoleAssignmentCondition.Attributes attributes,
        CancellationToken cancellationToken)
    {
        if (!await services.Roles.IsAllowedAsync(request.Caller.ObjectId, request.Path, attributes, cancellationToken))
        {
            throw ArmErrors.AuthorizationFailed(request.Caller.ObjectId, attributes.Action, request.Path);
        }
    }

    /// <summary>
    /// The assignment's condition, checked before it is stored: only version 2.0, and only what the emulator can
    /// evaluate.
    /// </summary>
    private static string? ReadCondition(JsonObject properties)
    {
        var condition = JsonBody.String(properties, "condition");
        var version = JsonBody.String(properties, "conditionVersion");
        if (string.IsNullOrWhiteSpace(condition))
        {
            return version is null ? null : throw ArmErrors.InvalidRoleAssignmentCondition("The conditionVersion is set but the condition is empty.");
        }

        if (version is not null && version != "2.0")
        {
            throw ArmErrors.InvalidRoleAssignmentCondition($"The conditionVersion '{version}' is not supported; use 2.0.");
        }

        try
        {
            RoleAssignmentCondition.Parse(condition);
        }
        catch (FormatException ex)
        {
            throw ArmErrors.InvalidRoleAssignmentCondition(ex.Message);
        }

        return condition;
    }
}
