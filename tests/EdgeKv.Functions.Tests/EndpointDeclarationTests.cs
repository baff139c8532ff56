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
