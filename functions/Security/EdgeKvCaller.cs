using System.Security.Claims;

namespace EdgeKv.Functions.Security;

/// <summary>Who is calling, read from the authenticated principal: an Entra principal (object id, app id, app roles) or a device.</summary>
public sealed record EdgeKvCaller(string Principal, string? AppId, IReadOnlyList<EdgeKvRole> AppRoles, string? DeviceResource)
{
    public const string DeviceClaim = "edgekv_device";

    public bool IsDevice => DeviceResource is not null;

    public static EdgeKvCaller? From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true }) return null;
        if (user.FindFirst(DeviceClaim)?.Value is { } device) return new EdgeKvCaller("device:" + device, null, [EdgeKvRole.Device], device);
        string principal = user.FindFirst("oid")?.Value ?? user.FindFirst("sub")?.Value ?? "unknown";
        string? appId = user.FindFirst("appid")?.Value ?? user.FindFirst("azp")?.Value;
        EdgeKvRole[] roles = [.. user.FindAll("roles").Select(c => RolePermissions.FromAppRole(c.Value)).OfType<EdgeKvRole>().Distinct()];
        return new EdgeKvCaller(principal, appId, roles, null);
    }
}
