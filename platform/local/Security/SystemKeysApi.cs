using EdgeKv.Functions.Http;
using EdgeKv.Functions.Security;
using EdgeKv.Functions.Validation;

namespace EdgeKv.Local.Security;

/// <summary>
/// <c>POST /admin/host/systemkeys/{keyName}</c> (security team): rotates a Functions-style system key and returns
/// the new value once, like the Functions host's admin API; only its salted hash is kept.
/// </summary>
public static partial class SystemKeysApi
{
    public static void MapSystemKeysApi(this WebApplication app) =>
        app.MapPost("/admin/host/systemkeys/{keyName}",
            (string keyName, SystemKeyStore keys, ILogger<SystemKeyStore> logger) =>
        {
            if (!IdentifierRules.IsValidKeyName(keyName)) return AzureError.BadRequest("InvalidKeyName",
                "A key name is 1-64 letters, digits, '_' or '-'.");
            if (keys.RotateExisting(keyName) is not { } value) return AzureError.NotFound("SystemKeyNotFound",
                $"The host has no system key named '{keyName}'.");
            LogRotated(logger, keyName);
            return Results.Ok(new SystemKeyResponse(keyName, value));
        }).RequireEdgeKvPermission(Permission.AccessManage, ActionScope.Service,
            auditObject: "systemKey:{keyName}").WithTags("Access");


    [LoggerMessage(7050, LogLevel.Information, "System key {KeyName} rotated.")]
    private static partial void LogRotated(ILogger logger, string keyName);
}

/// <summary>The new key, shown this once.</summary>
public sealed record SystemKeyResponse(string Name, string Value);
