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
        var sample = new RequiresPermissionAttribute(Permission.KeysManage) { AuditObject = "kms:{name}/key:{keyName}" };
        Assert.AreEqual("kms:p1/key:k1", sample.FormatAuditObject(v => v == "name" ? "p1" : v == "keyName" ? "k1" : null));
    }

    [TestMethod]
    public async Task OpenApi_document_describes_the_api()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        using HttpResponseMessage response = await host.Http.GetAsync("/openapi/v1.json");
        string json = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode, json);
        foreach (string path in new[] { "/api/resources/{name}/security/secrets", "/api/audit", "/api/roleAssignments/{id}", "/runtime/webhooks/durabletask/instances" })
        {
            StringAssert.Contains(json, $"\"{path}\"");
        }
    }
}
