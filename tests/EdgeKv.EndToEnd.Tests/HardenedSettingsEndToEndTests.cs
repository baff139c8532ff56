using System.Text.Json;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The hardening settings taken from configuration: with allowed ranges configured, activation creates the vault with
/// network ACLs (deny, Azure-services bypass, the ranges), the audit container's retention has the configured days, and
/// the Security page's diagnostics view shows both.
/// </summary>
[TestClass]
public sealed class HardenedSettingsEndToEndTests
{
    [TestMethod]
    public async Task Configured_vault_network_and_retention_days_are_applied_at_activation_and_shown()
    {
        await using InProcessHost host = await InProcessHost.StartAsync(
            "--EdgeKv:VaultNetwork:AllowedIpRanges:0", "203.0.113.0/24", "--EdgeKv:AuditStorage:ImmutabilityDays",
            "30");
        await host.Api.CreateResourceAsync("ase-hardened");
        JsonElement status = await host.Api.ActivateAsync("ase-hardened", timeout: TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());

        using HttpResponseMessage response = await host.Api.Http.GetAsync("/api/resources/ase-hardened/security/diagnostics");
        string body = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, body);
        JsonElement view = JsonDocument.Parse(body).RootElement;
        JsonElement network = view.GetProperty("vaultNetwork");
        Assert.AreEqual("Deny", network.GetProperty("defaultAction").GetString());
        Assert.AreEqual("AzureServices", network.GetProperty("bypass").GetString());
        CollectionAssert.AreEqual(new[] { "203.0.113.0/24" },
            network.GetProperty("ipRules").EnumerateArray().Select(r => r.GetString()).ToArray());
        JsonElement audit = view.GetProperty("auditStorage");
        Assert.AreEqual(30, audit.GetProperty("immutabilityDays").GetInt32());
        Assert.IsFalse(audit.GetProperty("allowSharedKeyAccess").GetBoolean());
    }
}
