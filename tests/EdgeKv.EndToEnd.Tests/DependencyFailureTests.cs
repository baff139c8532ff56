using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator.Admin;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Azure's refusals reach the caller as 4xx with Azure's reason; Azure's transient failures as 503 with Retry-After;
/// what EdgeKv can check itself (Key Vault's 25 KB value limit) is checked before Azure is called. Never a 500.
/// </summary>
[TestClass]
public sealed class DependencyFailureTests
{
    private static InProcessHost host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => host = await InProcessHost.StartAsync([]);

    [ClassCleanup]
    public static async Task StopAsync() => await host.DisposeAsync();

    [TestMethod]
    public async Task A_customer_secret_over_the_vaults_limit_is_a_400_and_the_vault_is_not_called()
    {
        await host.Api.ActivatedResourceAsync("ase-big1");
        await host.Emulator.Admin.ClearRequestsAsync();

        using HttpResponseMessage response = await host.Api.Http.PutAsJsonAsync("/api/resources/ase-big1/customerSecrets/big", new { value = new string('x', 25 * 1024 + 1) });

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.AreEqual("SecretValueTooLarge", await CodeAsync(response));
        Assert.IsEmpty(await host.Emulator.Admin.GetRequestsAsync(method: "PUT", pathContains: "/secrets/big"));
    }

    [TestMethod]
    public async Task Resource_Managers_server_errors_on_create_are_a_503_with_Retry_After()
    {
        FaultRule fault = await host.Emulator.Admin.AddFaultAsync(new FaultRule("/dataBoxEdgeDevices/ase-down1$",
            FaultKind.InternalError, Method: "PUT"));
        try
        {
            using HttpResponseMessage response = await host.Api.Http.PutAsJsonAsync("/api/resources/ase-down1",
                new { });

            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.AreEqual("DependencyUnavailable", await CodeAsync(response));
            Assert.IsNotNull(response.Headers.RetryAfter?.Delta);
            using HttpResponseMessage absent = await host.Api.Http.GetAsync("/api/resources/ase-down1");
            Assert.AreEqual(HttpStatusCode.NotFound, absent.StatusCode, "nothing was recorded");
        }
        finally
        {
            await host.Emulator.Admin.ClearFaultsAsync();
        }
    }

    [TestMethod]
    public async Task Resource_Managers_throttling_on_create_is_a_503_with_Azures_Retry_After()
    {
        await host.Emulator.Admin.AddFaultAsync(new FaultRule("/dataBoxEdgeDevices/ase-busy3$", FaultKind.Throttle,
            Method: "PUT", RetryAfterSeconds: 0));
        try
        {
            using HttpResponseMessage response = await host.Api.Http.PutAsJsonAsync("/api/resources/ase-busy3",
                new { });

            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.AreEqual(TimeSpan.Zero, response.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await host.Emulator.Admin.ClearFaultsAsync();
        }
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString();
}
