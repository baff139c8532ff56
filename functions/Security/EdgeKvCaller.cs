using System.Security.Claims;
using System.Text.Json;
using EdgeKv.Records.Security;

namespace EdgeKv.Functions.Security;

/// <summary>
/// Who is calling, read from the authenticated principal: an Entra principal (object id, app id, app roles, the object
/// ids of the groups it belongs to) or a device. <see cref="GroupsOverage"/> is true when the token left the groups out
/// because there were too many (Entra's <c>_claim_names</c> naming <c>groups</c>, or <c>hasgroups</c>): EdgeKv does not
/// ask Microsoft Graph for them, so assignments to groups cannot apply to that caller.
/// </summary>
public sealed record EdgeKvCaller(string Principal, string? AppId, IReadOnlyList<EdgeKvRole> AppRoles,
    string? DeviceResource)
{
    public const string DeviceClaim = "edgekv_device";

    public bool IsDevice => DeviceResource is not null;

    /// <summary>The caller's groups (object ids, lower case) from the token's <c>groups</c> claim.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public bool GroupsOverage { get; init; }

    /// <summary>The caller itself and its groups: the principal ids whose role assignments apply to it.</summary>
    public IEnumerable<string> PrincipalIds => Groups.Prepend(Principal);

    public static EdgeKvCaller? From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true }) return null;
        if (user.FindFirst(DeviceClaim)?.Value is { } device) return new EdgeKvCaller("device:" + device, null,
            [EdgeKvRole.Device], device);
        string principal = user.FindFirst("oid")?.Value ?? user.FindFirst("sub")?.Value ?? "unknown";
        string? appId = user.FindFirst("appid")?.Value ?? user.FindFirst("azp")?.Value;
        EdgeKvRole[] roles = [.. user.FindAll("roles").Select(c => RolePermissions.FromAppRole(c.Value)).OfType<EdgeKvRole>().Distinct()];
        string[] groups = [.. user.FindAll("groups").Select(c => c.Value.Trim().ToLowerInvariant()).Where(g => g.Length > 0).Distinct()];
        return new EdgeKvCaller(principal, appId, roles, null) { Groups = groups,
            GroupsOverage = HasGroupsOverage(user) };
    }

    private static bool HasGroupsOverage(ClaimsPrincipal user)
    {
        if (string.Equals(user.FindFirst("hasgroups")?.Value, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (user.FindFirst("_claim_names")?.Value is not { } names) return false;
        try
        {
            using var document = JsonDocument.Parse(names);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("groups", out _);
        }
        catch (JsonException)
        {
            return true; // unreadable: the groups may have been left out, so none is assumed
        }
    }
}
