namespace EdgeKv.Functions.Security;

/// <summary>What an endpoint declares about who may call it; read by <see cref="EdgeKvAuthorizationMiddleware"/>.</summary>
public sealed record EdgeKvPermissionMetadata(Permission Permission, bool Audited, string? ResourceRouteValue);

/// <summary>The endpoint authenticates its callers itself (an activation key in the body, a Functions system key) or is public (<c>/healthz</c>).</summary>
public sealed record EdgeKvOwnCredentialMetadata(string Credential);

/// <summary>
/// How endpoints declare their authorization: one call per endpoint or route group. An API endpoint without a
/// declaration is refused (fail closed).
/// <code>
/// group.MapPost("/{name}/recover", RecoverAsync).RequireEdgeKvPermission(Permission.RecoveryManage);
/// </code>
/// The resource comes from the route value <c>name</c>; each call is written to the audit trail unless
/// <paramref name="audited"/> is false (frequent reads such as status polling). Pass <paramref name="resourceRouteValue"/>
/// null for service-level endpoints whose <c>{name}</c> is not a resource.
/// </summary>
public static class EdgeKvEndpointConventions
{
    public static TBuilder RequireEdgeKvPermission<TBuilder>(this TBuilder builder, Permission permission, bool audited = true, string? resourceRouteValue = "name")
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new EdgeKvPermissionMetadata(permission, audited, resourceRouteValue)));
        return builder;
    }

    /// <summary>Marks an endpoint that checks its own credential (say which) or needs none.</summary>
    public static TBuilder AuthenticatedBy<TBuilder>(this TBuilder builder, string credential)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new EdgeKvOwnCredentialMetadata(credential)));
        return builder;
    }
}
