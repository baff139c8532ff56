using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// A resource from before vault integration keeps working, and a new activation key invalidates the old one without a
/// second vault.
/// </summary>
[TestClass]
public sealed class LifecycleTests
{
    [TestMethod]
    public async Task A_resource_from_before_vault_integration_is_adopted_keeps_working_and_activates_later_without_duplicates()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        var existing = await host.Factory.GetEdgeDevicesClient().CreateAsync(ProvisionedState.ResourceGroup,
            "ase-legacy", host.Emulator.DefaultLocation);

        JsonElement adopted = await host.Api.CreateResourceAsync("ase-legacy", new { resourceId = existing.Id });
        Assert.IsTrue(adopted.GetProperty("preVaultIntegration").GetBoolean());
        Assert.AreEqual(JsonValueKind.Null, adopted.GetProperty("vault").ValueKind);

        // Nothing breaks on it: lists, reads and the flows that need a vault answer clear 4xx.
        JsonElement list = await host.Api.Http.GetFromJsonAsync<JsonElement>("/api/resources");
        Assert.AreEqual(1, list.GetProperty("value").GetArrayLength());
        using (var put = await host.Api.Http.PutAsJsonAsync("/api/resources/ase-legacy/customerSecrets/s1",
            new { value = "v" }))
        {
            Assert.AreEqual(HttpStatusCode.Conflict, put.StatusCode);
        }

        using (var key = await host.Api.Http.GetAsync("/api/resources/ase-legacy/activationKey"))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, key.StatusCode,
                "no activation started, so nobody holds a fetch token");
        }

        using (var device = await host.Api.Http.GetAsync("/api/device/ase-legacy/customerSecrets/s1"))
        {
            Assert.AreEqual(HttpStatusCode.Forbidden, device.StatusCode,
                "the security team's token is not a device credential");
        }

        JsonElement first = await host.Api.ActivateAsync("ase-legacy", vaultName: "legacy-kv-1");
        Assert.AreEqual("Completed", first.GetProperty("runtimeStatus").GetString(), first.ToString());
        string oldKey = await host.Api.FetchKeyAsync("ase-legacy");
        JsonElement record = await host.Api.Http.GetFromJsonAsync<JsonElement>("/api/resources/ase-legacy");
        Assert.IsFalse(record.GetProperty("preVaultIntegration").GetBoolean());
        Assert.AreEqual("legacy-kv-1", record.GetProperty("vault").GetProperty("name").GetString());

        // Generating a new key runs the same idempotent steps: nothing is duplicated, and the old key stops working.
        JsonElement second = await host.Api.ActivateAsync("ase-legacy");
        Assert.AreEqual("Completed", second.GetProperty("runtimeStatus").GetString(), second.ToString());
        Assert.AreEqual("legacy-kv-1", second.GetProperty("output").GetProperty("vaultName").GetString());
        using (var stale = await host.Api.Http.PostAsJsonAsync("/api/device/activate", new { activationKey = oldKey }))
        {
            Assert.AreEqual(HttpStatusCode.Conflict, stale.StatusCode);
            StringAssert.Contains(await stale.Content.ReadAsStringAsync(), "ActivationKeySuperseded");
        }

        Assert.AreEqual(1, (await host.Contributor.GetVaultsClient().ListAsync()).Count);
        Assert.AreEqual(1, (await host.Contributor.GetStorageAccountsClient().ListAsync()).Count);
        var vault = await host.Factory.GetVaultsClient().GetAsync(ProvisionedState.ResourceGroup, "legacy-kv-1");
        Assert.AreEqual(1, (await host.Factory.GetManagementLocksClient().ListAsync(vault.Id)).Count);
        Assert.AreEqual(1, vault.AccessPolicies.Count(p => string.Equals(p.ObjectId, existing.PrincipalId.ToString(),
            StringComparison.OrdinalIgnoreCase)));
    }

    [TestMethod]
    public async Task Two_activation_requests_at_once_share_one_instance()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        await host.Api.CreateResourceAsync("ase-twice");
        using HttpResponseMessage a = await host.Api.StartActivationAsync("ase-twice");
        using HttpResponseMessage b = await host.Api.StartActivationAsync("ase-twice");
        string idA = (await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        string idB = (await b.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.AreEqual(idA, idB);
        JsonElement done = await host.Api.PollAsync($"/api/durabletask/instances/{idA}", TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual(1, (await host.Contributor.GetVaultsClient().ListAsync()).Count);
        Assert.AreEqual(1, (await host.Contributor.GetStorageAccountsClient().ListAsync()).Count);
    }
}
