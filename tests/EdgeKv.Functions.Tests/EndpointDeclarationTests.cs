using EdgeKv.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class EndpointDeclarationTests
{
    [TestMethod]
    public async Task Every_endpoint_declares_its_permission_or_its_own_credential()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.IsTrue(endpoints.Count > 30);
        string[] undeclared = [.. endpoints
            .Where(e => e.Metadata.GetMetadata<RequiresPermissionAttribute>() is null && e.Metadata.GetMetadata<AuthenticatedByAttribute>() is null)
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")];
        Assert.AreEqual(0, undeclared.Length, "undeclared: " + string.Join("; ", undeclared));
    }

    [TestMethod]
    public async Task Every_audited_endpoint_names_its_object_a_resource_or_an_audit_object_drawn_from_its_route()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        var problems = new List<string>();
        foreach (RouteEndpoint e in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (e.Metadata.GetMetadata<RequiresPermissionAttribute>() is not { } required) continue;
            string[] parameters = [.. e.RoutePattern.Parameters.Select(p => p.Name)];
            string route = e.RoutePattern.RawText!;
            if (required.ResourceRouteValue is { } resource && !parameters.Contains(resource)) problems.Add($"{route}: no route value '{resource}'");
            // A service-level call on a named object (a key, a KMS provider) must say which one in its audit record.
            if (required.Audited && required.ResourceRouteValue is null && parameters.Length > 0 && required.AuditObject is null) problems.Add($"{route}: names no audit object");
            if (required.AuditObject is { } template)
            {
                string formatted = required.FormatAuditObject(name => parameters.Contains(name) ? "<" + name + ">" : null)!;
                if (formatted.Count(c => c == '<') != template.Count(c => c == '{')) problems.Add($"{route}: '{template}' names a value the route lacks");
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join("; ", problems));
        var sample = new RequiresPermissionAttribute(Permission.KeysManage,
            ActionScope.Service) { AuditObject = "kms:{name}/key:{keyName}" };
        Assert.AreEqual("kms:p1/key:k1",
            sample.FormatAuditObject(v => v == "name" ? "p1" : v == "keyName" ? "k1" : null));
    }

    /// <summary>
    /// Each declaration says at which scope it is decided, and the route agrees: a route on one resource
    /// (<c>resources/{name}</c>, <c>device/{name}</c>) is a resource action on that route value; a service-level action
    /// names no resource; a list (filtered, or read at the scope it names) is a GET of a collection; only role
    /// assignments and alerts (whose scope is in the item: its scope, its resource) are item-scoped. Nothing falls into
    /// a kind by default.
    /// </summary>
    [TestMethod]
    public async Task Every_declaration_names_a_scope_kind_its_route_agrees_with()
    {
        string[] itemScoped = ["api/roleAssignments/{id}", "api/alerts/{id}/resolve"];
        await using HostFixture host = await HostFixture.StartAsync();
        var problems = new List<string>();
        var kinds = new Dictionary<ActionScope, int>();
        foreach (RouteEndpoint e in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (e.Metadata.GetMetadata<RequiresPermissionAttribute>() is not { } required) continue;
            string route = e.RoutePattern.RawText!.TrimStart('/');
            string[] parameters = [.. e.RoutePattern.Parameters.Select(p => p.Name)];
            string[] methods = [.. e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []];
            bool onOneResource = route.StartsWith("api/resources/{",
                StringComparison.Ordinal) || route.StartsWith("api/device/{", StringComparison.Ordinal);
            kinds[required.Scope] = kinds.GetValueOrDefault(required.Scope) + 1;
            switch (required.Scope)
            {
                case ActionScope.Resource:
                    if (required.ResourceRouteValue is not { } value || !parameters.Contains(value)) problems.Add($"{route}: a resource action without its route value");
                    if (!onOneResource) problems.Add($"{route}: a resource action on a route of no resource");
                    break;
                case ActionScope.Service:
                    if (required.ResourceRouteValue is not null) problems.Add($"{route}: a service-level action naming a resource");
                    if (onOneResource) problems.Add($"{route}: a route on one resource declared service-level");
                    break;
                case ActionScope.List:
                case ActionScope.QueryScope:
                    if (required.ResourceRouteValue is not null || parameters.Length > 0 || methods.Any(m => m != "GET"))
                    {
                        problems.Add($"{route}: a list must be a GET of a collection");
                    }

                    break;
                case ActionScope.ItemScope:
                    if (!itemScoped.Contains(route)) problems.Add($"{route}: item-scoped, but its items carry no scope of their own");
                    break;
                default:
                    problems.Add($"{route}: no scope kind");
                    break;
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join("; ", problems));
        Assert.IsTrue(Enum.GetValues<ActionScope>().All(kinds.ContainsKey),
            "every kind is in use: " + string.Join(", ", kinds));
    }

    [TestMethod]
    public async Task OpenApi_document_describes_the_api()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("/openapi/v1.json");
        string json = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode, json);
        foreach (string path in new[] { "/api/resources/{name}/security/secrets", "/api/audit",
            "/api/roleAssignments/{id}", "/runtime/webhooks/durabletask/instances" })
        {
            StringAssert.Contains(json, $"\"{path}\"");
        }
    }
}
