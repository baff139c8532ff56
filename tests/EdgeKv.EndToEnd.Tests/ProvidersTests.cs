using System.Text.Json;
using Azure.ResourceManager.Resources;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>What is blocking and what is not, as Azure Stack Edge's troubleshooting page says.</summary>
[TestClass]
public sealed class ProvidersTests
{
    [TestMethod]
    public async Task Unregistered_KeyVault_provider_refuses_activation_under_least_privilege_and_unregistered_Storage_only_costs_the_audit_storage()
    {
        await using InProcessHost host = await InProcessHost.StartAsync();
        await host.Api.CreateResourceAsync("ase-providers");
        SubscriptionResource subscription = host.Contributor.ArmClient.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(host.Emulator.SubscriptionId));
        await (await subscription.GetResourceProviderAsync("Microsoft.KeyVault")).Value.UnregisterAsync();
        await (await subscription.GetResourceProviderAsync("Microsoft.Storage")).Value.UnregisterAsync();

        // infra/main.bicep gives EdgeKv no Microsoft.KeyVault/register/action: registering is the operator's one-time
        // step.
        JsonElement refused = await host.Api.ActivateAsync("ase-providers");
        Assert.AreEqual("Failed", refused.GetProperty("runtimeStatus").GetString(), refused.ToString());
        StringAssert.Contains(refused.ToString(), "KeyVaultProviderNotRegistered");
        await (await subscription.GetResourceProviderAsync("Microsoft.KeyVault")).Value.RegisterAsync();

        JsonElement status = await host.Api.ActivateAsync("ase-providers");

        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        Assert.IsTrue((await host.Factory.GetResourceProvidersClient().GetAsync("Microsoft.KeyVault")).IsRegistered);
        string[] warnings = [.. status.GetProperty("output").GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];
        Assert.IsTrue(warnings.Any(w => w.Contains("Microsoft.Storage", StringComparison.Ordinal)),
            string.Join(" | ", warnings));
        Assert.IsTrue(warnings.Any(w => w.Contains("audit storage account was not created", StringComparison.Ordinal)),
            string.Join(" | ", warnings));
        Assert.IsFalse(status.GetProperty("output").TryGetProperty("auditStorageAccountId",
            out JsonElement account) && account.ValueKind != JsonValueKind.Null);
        JsonElement record = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(host.Api.Http, "/api/resources/ase-providers");
        Assert.AreEqual("KeyIssued", record.GetProperty("activationState").GetString());
        Assert.IsTrue(record.GetProperty("activationWarnings").GetArrayLength() >= 2, "the operator sees the warnings");
        Assert.IsFalse(string.IsNullOrEmpty(await host.Api.FetchKeyAsync("ase-providers")));
    }
}
