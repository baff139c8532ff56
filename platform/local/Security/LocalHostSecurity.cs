using EdgeKv.Functions.Security;

namespace EdgeKv.Local.Security;

/// <summary>
/// The local host's side of security: its request pipeline (in Azure the worker's <c>FunctionsPermissionMiddleware</c>
/// does the same check) and the security routes that are the host's, not functions: the admin key API and the OpenAPI
/// document.
/// </summary>
public static class LocalHostSecurity
{
    /// <summary>Routing, then authentication (sets the user), then the permission check of the endpoint.</summary>
    public static void UseEdgeKvSecurity(this WebApplication app)
    {
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<EdgeKvAuthorizationMiddleware>();
    }

    public static void MapSecurityHostApis(this WebApplication app)
    {
        app.MapSystemKeysApi();
        app.MapOpenApi().RequireEdgeKvPermission(Permission.ResourcesRead, ActionScope.Service, audited: false);
    }
}
