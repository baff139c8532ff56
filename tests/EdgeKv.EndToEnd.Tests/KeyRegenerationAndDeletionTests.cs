using System.Net;
using System.Text.Json;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

[TestClass]
public sealed class KeyRegenerationAndDeletionTests
{
    [TestMethod]
    public async Task Regenerating_the_activation_key_touches_no_vault_and_the_previous_key_is_refused()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-regen-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-regen1");
        await api.ActivateAsync("ase-regen1");
        string first = await api.FetchKeyAsync("ase-regen1");
        await host.Emulator.Admin.ClearRequestsAsync();

        using HttpResponseMessage started = await api.Http.PostAsync("/api/resources/ase-regen1/activationKey/regenerate", null);
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        api.FetchTokens["ase-regen1"] = started.Headers.GetValues("x-edgekv-activation-key-token").Single();
        JsonElement final = await api.PollAsync((await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        string second = await api.FetchKeyAsync("ase-regen1");
        Assert.AreNotEqual(first, second);
        var requests = await host.Emulator.Admin.GetRequestsAsync();
        Assert.AreEqual(0, requests.Count(r => r.Path.Contains("/vaults/", StringComparison.OrdinalIgnoreCase)),
            "regenerate touches no vault: " + string.Join(", ", requests.Select(r => $"{r.Method} {r.Path}")));

        (int code, _, string error) = await device.RunAsync("activate", "--key", first);
        Assert.AreNotEqual(0, code);
        StringAssert.Contains(error, "ActivationKeySuperseded");
        await device.RunOkAsync("activate", "--key", second);
    }

    [TestMethod]
    public async Task Delete_with_consent_soft_deletes_the_vault_and_without_consent_leaves_it_intact_and_unlocked()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        foreach (string name in new[] { "ase-del1", "ase-del2" })
        {
            await api.CreateResourceAsync(name);
            await api.ActivateAsync(name);
        }

        JsonElement del1 = await api.ResourceAsync("ase-del1");
        JsonElement del2 = await api.ResourceAsync("ase-del2");
        using (HttpResponseMessage mismatch = await api.Http.DeleteAsync("/api/resources/ase-del1?confirm=ase-del2&deleteVault=Yes"))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, mismatch.StatusCode);
            StringAssert.Contains(await mismatch.Content.ReadAsStringAsync(), "ConfirmationMismatch");
        }

        using (HttpResponseMessage noConsent = await api.Http.DeleteAsync("/api/resources/ase-del1?confirm=ase-del1"))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, noConsent.StatusCode);
        }

        await DeleteAsync(api, "ase-del1", "Yes");
        await DeleteAsync(api, "ase-del2", "No");

        var vaults = host.Factory.GetVaultsClient();
        string rg = del1.GetProperty("resourceGroup").GetString()!,
            location = del1.GetProperty("location").GetString()!;
        string vault1 = del1.GetProperty("vault").GetProperty("name").GetString()!,
            vault2 = del2.GetProperty("vault").GetProperty("name").GetString()!;
        Assert.AreEqual(vault1, (await vaults.GetDeletedAsync(location, vault1)).Name,
            "with consent: the vault is in soft-delete");
        var kept = await vaults.GetAsync(rg, vault2);
        Assert.AreEqual(0, (await host.Factory.GetManagementLocksClient().ListAsync(kept.Id)).Count,
            "without consent: intact and unlocked");
        var accounts = (await host.Factory.GetStorageAccountsClient().ListAsync(rg)).Select(a => a.Id).ToList();
        CollectionAssert.DoesNotContain(accounts, del1.GetProperty("auditStorageAccountId").GetString());
        CollectionAssert.Contains(accounts, del2.GetProperty("auditStorageAccountId").GetString());
        foreach (string name in new[] { "ase-del1", "ase-del2" })
        {
            using HttpResponseMessage gone = await api.Http.GetAsync($"/api/resources/{name}");
            Assert.AreEqual(HttpStatusCode.NotFound, gone.StatusCode);
            await Assert.ThrowsExactlyAsync<global::Azure.RequestFailedException>(() => host.Factory.GetEdgeDevicesClient().GetAsync(rg, name));
        }
    }

    private static async Task DeleteAsync(EdgeKvApi api, string name, string deleteVault)
    {
        using HttpResponseMessage started = await api.Http.DeleteAsync($"/api/resources/{name}?confirm={name}&deleteVault={deleteVault}");
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        JsonElement final = await api.PollAsync((await started.Content.ReadFromJsonElementAsync()).GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
    }
}
