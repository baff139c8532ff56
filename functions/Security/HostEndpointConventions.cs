namespace EdgeKv.Functions.Security;

/// <summary>
/// The same declarations for the few routes that are the Functions host's own, not functions (the Durable
/// instance-management API, the admin key API, the health probe, the OpenAPI document): the local host serves them
/// beside the functions and its authorization middleware (platform/local/) enforces them alike.
/// </summary>
public static class HostEndpointConventions
{
    public static TBuilder RequireEdgeKvPermission<TBuilder>(this TBuilder builder, Permission permission,
        ActionScope scope, bool audited = true,
        string? auditObject = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new RequiresPermissionAttribute(permission,
            scope) { Audited = audited, AuditObject = auditObject }));
        return builder;
    }

    public static TBuilder AuthenticatedBy<TBuilder>(this TBuilder builder, string credential)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(new AuthenticatedByAttribute(credential)));
        return builder;
    }
}
