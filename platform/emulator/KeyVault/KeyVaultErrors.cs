using EdgeKv.Emulator.Arm;

namespace EdgeKv.Emulator.KeyVault;

/// <summary>
/// The Key Vault data plane's error factory: Azure's status codes, error codes, inner codes and messages.
/// </summary>
internal static class KeyVaultErrors
{
    public static ArmErrorException MissingToken(Uri authority, Guid tenantId) => new(401, "Unauthorized",
        "AKV10000: Request is missing a Bearer or PoP token.")
    {
        Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = Challenge(authority, tenantId) },
    };

    public static ArmErrorException InvalidToken(Uri authority, Guid tenantId, string message) => new(401,
        "Unauthorized", message)
    {
        Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = Challenge(authority, tenantId) },
    };

    public static string Challenge(Uri authority, Guid tenantId) =>
        $"Bearer authorization=\"{authority.AbsoluteUri}{tenantId}\", resource=\"https://vault.azure.net\"";

    public static ArmErrorException MissingApiVersion() => new(400, "BadParameter",
        "The request is missing the 'api-version' query parameter.");

    public static ArmErrorException UnknownApiVersion(string apiVersion) => new(400, "BadParameter",
        $"The specified version ({apiVersion}) is not recognized. Consider using the latest supported version ({KeyVaultApiVersions.Latest}).");

    public static ArmErrorException VaultNotFound(string vault) => new(404, "VaultNotFound",
        $"The vault '{vault}' does not exist or is in a deleted state (Azure's vault DNS name would not resolve).");

    public static ArmErrorException PathNotFound(string path) => new(404, "NotFound",
        $"The requested path '{path}' was not found.");

    public static ArmErrorException MethodNotAllowed(string method) => new(405, "MethodNotAllowed",
        $"The requested resource does not support http method '{method}'.");

    public static ArmErrorException Forbidden(CallerText caller, string kind, string permission, string vault,
        string location) => new(403, "Forbidden",
        $"The user, group or application '{caller}' does not have {kind} {permission} permission on key vault '{vault};location={location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287")
    {
        InnerCode = "ForbiddenByPolicy",
    };

    /// <summary>A vault on Azure RBAC: no role assignment at the resource or above grants the data action.</summary>
    public static ArmErrorException ForbiddenByRbac(CallerText caller, string action, string resource, string vault,
        string location) => new(403, "Forbidden",
        "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
        $"Caller: {caller}\r\nAction: '{action}'\r\nResource: '{resource.ToLowerInvariant()}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\n" +
        $"DecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: {vault};location={location}\r\n")
    {
        InnerCode = "ForbiddenByRbac",
    };

    public static ArmErrorException InvalidName(string name) => new(400, "BadParameter",
        $"The request URI contains an invalid name: {name}");

    public static ArmErrorException BadParameter(string message) => new(400, "BadParameter", message);

    public static ArmErrorException SecretNotFound(string nameOrId) => new(404, "SecretNotFound",
        $"A secret with (name/id) {nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    public static ArmErrorException DeletedSecretNotFound(string name) => new(404, "SecretNotFound",
        $"Deleted Secret not found: {name}");

    public static ArmErrorException SecretDisabled() => new(403, "Forbidden",
        "Operation get is not allowed on a disabled secret.") { InnerCode = "SecretDisabled" };

    public static ArmErrorException DeletedButRecoverable(string kind, string name) => new(409, "Conflict",
        $"{kind} {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the {kind.ToLowerInvariant()} can only be recovered or purged.")
    {
        InnerCode = "ObjectIsDeletedButRecoverable",
    };

    public static ArmErrorException PurgeProtected() => new(403, "Forbidden",
        "Operation \"purge\" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.");

    public static ArmErrorException KeyNotFound(string nameOrId) => new(404, "KeyNotFound",
        $"A key with (name/id) {nameOrId} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    public static ArmErrorException DeletedKeyNotFound(string name) => new(404, "KeyNotFound",
        $"Deleted Key not found: {name}");

    public static ArmErrorException KeyDisabled(string operation) => new(403, "Forbidden",
        $"Operation {operation} is not allowed on a disabled key.") { InnerCode = "KeyDisabled" };

    public static ArmErrorException KeyOperationNotAllowed(string operation) => new(403, "Forbidden",
        $"Operation {operation} is not permitted on this key.") { InnerCode = "KeyOperationForbidden" };

    public static ArmErrorException Throttled(TimeSpan retryAfter) => new(429, "Throttled",
        "Operations per second limit exceeded for this vault. The request was throttled; retry after the time given in Retry-After.")
    {
        Headers = new Dictionary<string, string> { ["Retry-After"] = ((int)Math.Ceiling(Math.Max(1,
            retryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static ArmErrorException InternalError() => new(500, "InternalServerError",
        "Encountered internal server error.");
}
