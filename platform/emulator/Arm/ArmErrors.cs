namespace EdgeKv.Emulator.Arm;

/// <summary>
/// The one error factory: every Azure status code, error code and message form the emulator answers with.
/// </summary>
internal static class ArmErrors
{
    private const string ManagementAudiences =
        "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

    public static ArmErrorException MissingAuthorizationHeader() => Unauthorized(
        "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", "invalid_token",
        "The authentication failed because of missing 'Authorization' header.");

    public static ArmErrorException InvalidAuthenticationToken() => Unauthorized(
        "InvalidAuthenticationToken", "The access token is invalid.", "invalid_token", "The access token is invalid.");

    public static ArmErrorException ExpiredAuthenticationToken(DateTimeOffset expiry,
        DateTimeOffset now) => Unauthorized(
        "ExpiredAuthenticationToken",
        $"The access token expiry UTC time '{expiry.UtcDateTime:M/d/yyyy h:mm:ss tt}' is earlier than current UTC time '{now.UtcDateTime:M/d/yyyy h:mm:ss tt}'.",
        "invalid_token", "The access token has expired.");

    public static ArmErrorException InvalidAuthenticationTokenAudience(string audience) => Unauthorized(
        "InvalidAuthenticationTokenAudience",
        $"The access token has been obtained for wrong audience or resource '{audience}'. It should exactly match with one of the allowed audiences {ManagementAudiences}.",
        "invalid_token", "The access token has been obtained for wrong audience or resource.");

    public static ArmErrorException InvalidAuthenticationTokenTenant(string tenant) => Unauthorized(
        "InvalidAuthenticationTokenTenant",
        $"The access token is from the wrong issuer '{tenant}'. It must match the tenant associated with this subscription.",
        "invalid_token", "The access token is from the wrong issuer.");

    public static ArmErrorException AuthorizationFailed(Guid objectId, string action, string scope) => new(403,
        "AuthorizationFailed",
        $"The client '{objectId}' with object id '{objectId}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.");

    public static ArmErrorException MissingApiVersion() => new(400, "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.");

    public static ArmErrorException InvalidApiVersion(string apiVersion, IEnumerable<string> supported) => new(400,
        "InvalidApiVersionParameter",
        $"The api-version '{apiVersion}' is invalid. The supported versions are '{string.Join(",", supported)}'. The supported locations are ''.");

    public static ArmErrorException NoRegisteredProviderFound(string location, string apiVersion, string type,
        IEnumerable<string> supported, IEnumerable<string> locations) =>
        new(400, "NoRegisteredProviderFound",
            $"No registered resource provider found for location '{location}' and API version '{apiVersion}' for type '{type}'. The supported api-versions are '{string.Join(", ", supported)}'. The supported locations are '{string.Join(", ", locations)}'.");

    public static ArmErrorException MissingSubscriptionRegistration(string providerNamespace) => new(409,
        "MissingSubscriptionRegistration",
        $"The subscription is not registered to use namespace '{providerNamespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.");

    public static ArmErrorException InvalidResourceNamespace(string providerNamespace) => new(404,
        "InvalidResourceNamespace",
        $"The resource namespace '{providerNamespace}' is invalid.");

    public static ArmErrorException InvalidResourceType(string type, string providerNamespace,
        string? apiVersion) => new(404, "InvalidResourceType",
        $"The resource type '{type}' could not be found in the namespace '{providerNamespace}' for api version '{apiVersion}'.");

    public static ArmErrorException PathNotFound(string path) => new(404, "NotFound",
        $"The requested path '{path}' was not found.");

    public static ArmErrorException HttpMethodNotAllowed(string method) => new(405, "HttpMethodNotAllowed",
        $"The requested resource does not support http method '{method}'.");

    public static ArmErrorException SubscriptionNotFound(string subscriptionId) => new(404, "SubscriptionNotFound",
        $"The subscription '{subscriptionId}' could not be found.");

    public static ArmErrorException ResourceGroupNotFound(string resourceGroup) => new(404, "ResourceGroupNotFound",
        $"Resource group '{resourceGroup}' could not be found.");

    public static ArmErrorException ResourceNotFound(string typeAndName, string resourceGroup) => new(404,
        "ResourceNotFound",
        $"The Resource '{typeAndName}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    public static ArmErrorException ParentResourceNotFound(string scope) => new(404, "ParentResourceNotFound",
        $"Can not perform requested operation on nested resource. Parent resource '{scope}' not found.");

    public static ArmErrorException InvalidRequestContent(string detail) => new(400, "InvalidRequestContent",
        $"The request content was invalid and could not be deserialized: '{detail}'.");

    public static ArmErrorException LocationRequired() => new(400, "LocationRequired",
        "The location property is required for this definition.");

    public static ArmErrorException InvalidResourceGroupName(string name) => new(400, "InvalidResourceGroupName",
        $"The resource group name '{name}' is invalid. Resource group names only allow alphanumeric characters, periods, underscores, hyphens and parenthesis and cannot end in a period.");

    public static ArmErrorException ResourceGroupBeingDeleted(string name) => new(409, "ResourceGroupBeingDeleted",
        $"The resource group '{name}' is in deprovisioning state and cannot perform this operation.");

    public static ArmErrorException ScopeLocked(string scope, string operation,
        IEnumerable<string> lockedScopes) => new(409, "ScopeLocked",
        $"The scope '{scope}' cannot perform {operation} operation because following scope(s) are locked: '{string.Join("','", lockedScopes)}'. Please remove the lock and try again.");

    public static ArmErrorException BadRequest(string message) => new(400, "BadRequest", message);

    public static ArmErrorException InvalidParameter(string message) => new(400, "InvalidParameter", message);

    // Microsoft.KeyVault
    public static ArmErrorException VaultNameNotValid(string name) => new(400, "VaultNameNotValid",
        $"The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742");

    public static ArmErrorException VaultAlreadyExists(string name) => new(409, "VaultAlreadyExists",
        $"The vault name '{name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on VaultAlreadyExists, soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.");

    public static ArmErrorException VaultInDeletedState(string name) => new(409, "ConflictError",
        $"A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete. Vault name: '{name}'.");

    public static ArmErrorException SoftDeletedVaultDoesNotExist(string name) => new(404,
        "SoftDeletedVaultDoesNotExist",
        $"A soft deleted vault with the given name '{name}' does not exist. Ensure that the name for the vault that is being attempted to recover is in a recoverable state.");

    public static ArmErrorException DeletedVaultNotFound(string name) => new(404, "ResourceNotFound",
        $"The Resource 'Microsoft.KeyVault/deletedVaults/{name}' was not found.");

    public static ArmErrorException DeletedVaultPurgeNotAllowed() => new(409, "MethodNotAllowed",
        "Operation 'DeletedVaultPurge' is not allowed.");

    public static ArmErrorException AccessPolicyLimitExceeded(int count) => new(400, "AccessPolicyLimitExceeded",
        $"The number of access policies ({count}) exceeds the maximum of 1024 access policies per vault.");

    // Microsoft.Storage
    public static ArmErrorException StorageAccountNameInvalid(string name) => new(400, "AccountNameInvalid",
        $"{name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.");

    public static ArmErrorException StorageAccountAlreadyTaken(string name) => new(409, "StorageAccountAlreadyTaken",
        $"The storage account named {name} is already taken.");

    public static ArmErrorException OperationNotFound(string id) => new(404, "ResourceNotFound",
        $"The operation '{id}' was not found.");

    // Microsoft.Authorization
    public static ArmErrorException InvalidRoleAssignmentId(string name) => new(400, "InvalidRoleAssignmentId",
        $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.");

    public static ArmErrorException RoleDefinitionDoesNotExist(string id) => new(400, "RoleDefinitionDoesNotExist",
        $"The specified role definition with ID '{id}' does not exist.");

    /// <summary>
    /// A role assignment condition that is malformed or uses what the emulator does not evaluate: refused, never
    /// ignored.
    /// </summary>
    public static ArmErrorException InvalidRoleAssignmentCondition(string detail) => new(400,
        "InvalidConditionExpression",
        $"The role assignment condition is invalid. {detail}");

    public static ArmErrorException RoleAssignmentExists() => new(409, "RoleAssignmentExists",
        "The role assignment already exists.");

    public static ArmErrorException RoleAssignmentUpdateNotPermitted() => new(409, "RoleAssignmentUpdateNotPermitted",
        "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");

    public static ArmErrorException PrincipalNotFound(string principalId, Guid tenantId) => new(400,
        "PrincipalNotFound",
        $"Principal {principalId.Replace("-", "", StringComparison.Ordinal)} does not exist in the directory {tenantId}. Check that you have the correct principal ID.");

    public static ArmErrorException RoleDefinitionNotFound() => new(404, "RoleDefinitionDoesNotExist",
        "The specified role definition with ID does not exist.");

    public static ArmErrorException LockLevelInvalid(string? level) => new(400, "InvalidLockLevel",
        $"The lock level '{level}' is invalid. The supported values are 'CanNotDelete' and 'ReadOnly'.");

    private static ArmErrorException Unauthorized(string code, string message, string error, string description) =>
        new(401, code, message)
        {
            Headers = new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = $"Bearer authorization_uri=\"https://login.windows.net/\", error=\"{error}\", error_description=\"{description}\"",
            },
        };

    public static ArmErrorException InternalError() => new(500, "InternalServerError",
        "Encountered internal server error.");
}
