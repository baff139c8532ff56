using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator.Admin;
using EdgeKv.Records;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The sweep within Resource Manager's read budget: over a fleet of 50 healthy resources, a steady sweep makes at most
/// one Resource Manager read per resource on average (counted twice: by the sweep's own summary, and from the
/// emulator's request log), and a vault deleted and an access policy added out of band, with no event delivered, are
/// still found by the next sweep.
/// </summary>
[TestClass]
public sealed class SweepReadBudgetTests
{
    private const int Fleet = 50;

    [TestMethod]
    public async Task A_steady_sweep_reads_Resource_Manager_at_most_once_per_resource_and_still_finds_a_deleted_vault_and_an_added_access_policy()
    {
        using var sink = new NotificationSink();
        // The timer's sweep out of the way: at a quarter hour it would join or run between the counted sweeps.
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--HealthSweepSchedule", "0 0 0 1 1 *"]);
        EdgeKvApi api = host.Api;
        AzureContext az = await host.Services.GetRequiredService<AzureContextProvider>().GetAsync();
        ResourceStore store = host.Services.GetRequiredService<ResourceStore>();
        var vaults = new VaultProperties[Fleet];
        await Parallel.ForEachAsync(Enumerable.Range(0, Fleet), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => vaults[i] = await SeedAsync(az, store, i, ct));
        EmulatorAdminClient admin = host.Emulator.Admin;

        JsonElement first = await api.SweepAsync();
        Assert.AreEqual(Fleet, first.GetProperty("checked").GetInt32(), first.ToString());
        Assert.AreEqual(0, first.GetProperty("activeFaults").GetInt32(), first.ToString());
        Assert.AreEqual(Fleet, first.GetProperty("readsDue").GetInt32(),
            "a resource seen for the first time has its per-vault reads run: " + first);

        await admin.ClearRequestsAsync();
        JsonElement steady = await api.SweepAsync();
        int steadyLogged = ArmReads(await admin.GetRequestsAsync());
        Assert.AreEqual(0, steady.GetProperty("activeFaults").GetInt32(), steady.ToString());
        Assert.AreEqual(0, steady.GetProperty("readsDue").GetInt32(), "nothing changed and nothing is due: " + steady);
        AssertWithinBudget(steady, steadyLogged);

        // Out of band, with no event delivered: a vault deleted, an access policy added to another vault.
        await admin.DeleteResourceAsync(vaults[7].Id);
        Guid intruder = Guid.NewGuid();
        await host.Contributor.GetVaultsClient().UpdateAccessPoliciesAsync(vaults[13].ResourceGroup, vaults[13].Name,
            AccessPolicyUpdateKind.Add,
            [new VaultAccessPolicy(host.Emulator.TenantId, intruder.ToString(), ["get", "list"])]);
        await admin.ClearRequestsAsync();
        JsonElement faulty = await api.SweepAsync();
        int faultyLogged = ArmReads(await admin.GetRequestsAsync());
        AssertWithinBudget(faulty, faultyLogged);
        Assert.AreEqual(1, faulty.GetProperty("readsDue").GetInt32(),
            "only the vault whose listed properties changed is read again: " + faulty);

        var deleted = (await api.AlertsAsync($"?resource={Name(7)}&state=Active")).Active("VaultDeleted");
        Assert.AreEqual(1, deleted.Count, "the deleted vault is found from the fleet list");
        var drift = (await api.AlertsAsync($"?resource={Name(13)}&state=Active")).Active("AccessPolicyNotGrantedByEdgeKv");
        Assert.AreEqual(1, drift.Count, "the added access policy is found from the fleet list");
        StringAssert.Contains(drift[0].GetProperty("finding").GetString(), intruder.ToString());
        Assert.AreEqual(2, faulty.GetProperty("activeFaults").GetInt32(), faulty.ToString());
    }

    [TestMethod]
    public async Task A_diagnostic_setting_removed_quietly_waits_for_its_schedule_and_an_event_on_its_vault_makes_the_next_sweep_read_it()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--HealthSweepSchedule", "0 0 0 1 1 *"]);
        EdgeKvApi api = host.Api;
        AzureContext az = await host.Services.GetRequiredService<AzureContextProvider>().GetAsync();
        ResourceStore store = host.Services.GetRequiredService<ResourceStore>();
        var vaults = new VaultProperties[3];
        for (int i = 0; i < vaults.Length; i++) vaults[i] = await SeedAsync(az, store, i, CancellationToken.None);
        Assert.AreEqual(3, (await api.SweepAsync()).GetProperty("readsDue").GetInt32());
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("readsDue").GetInt32());

        await host.Emulator.Admin.DeleteResourceAsync($"{vaults[1].Id}/providers/Microsoft.Insights/diagnosticSettings/edgekv-audit");
        JsonElement quiet = await api.SweepAsync();
        Assert.AreEqual(0, quiet.GetProperty("readsDue").GetInt32(),
            "no list shows a diagnostic setting: it is read on its schedule (24 h), not in every sweep");
        Assert.IsEmpty(await api.AlertsAsync($"?resource={Name(1)}&state=Active"));

        // Key Vault reports a change on the vault: the webhook marks the resource, and the next sweep reads it.
        string vaultEvent = JsonSerializer.Serialize(new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(), topic = vaults[1].Id, subject = vaults[1].Name,
                    eventType = "Microsoft.KeyVault.VaultAccessPolicyChanged",
                eventTime = DateTimeOffset.UtcNow, dataVersion = "1",
                data = new { Id = vaults[1].Id, VaultName = vaults[1].Name, ObjectType = "Vault",
                    ObjectName = vaults[1].Name },
            },
        });
        using (HttpResponseMessage delivered = await api.PostEventsAsync(vaultEvent))
        {
            Assert.AreEqual(System.Net.HttpStatusCode.Accepted, delivered.StatusCode,
                await delivered.Content.ReadAsStringAsync());
        }

        JsonElement marked = await api.SweepAsync();
        Assert.AreEqual(1, marked.GetProperty("readsDue").GetInt32(), marked.ToString());
        Assert.AreEqual(1, (await api.AlertsAsync($"?resource={Name(1)}&state=Active")).Active("DiagnosticSettingMissing").Count, "found by the marked resource's reads");
        Assert.AreEqual(1, (await api.SweepAsync()).GetProperty("readsDue").GetInt32(),
            "a fault its reads found is read again in every sweep until healed");
    }

    private static void AssertWithinBudget(JsonElement summary, int logged)
    {
        long counted = summary.GetProperty("armReads").GetInt64();
        Assert.IsGreaterThan(0L, counted, "the sweep counts its reads: " + summary);
        Assert.IsLessThanOrEqualTo(Fleet, (int)counted,
            $"at most one Resource Manager read per resource on average, as the sweep counts them: {summary}");
        Assert.IsLessThanOrEqualTo(Fleet, logged,
            $"at most one Resource Manager read per resource on average, as the emulator logged them ({logged}): {summary}");
    }

    /// <summary>
    /// Resource Manager reads in the emulator's request log (its admin API, sign-in and the vaults' data planes are not
    /// Resource Manager).
    /// </summary>
    private static int ArmReads(IReadOnlyList<RequestLogEntry> requests) =>
        requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/subscriptions/",
            StringComparison.OrdinalIgnoreCase));

    private static string Name(int i) => $"ase-budget{i:D3}";

    /// <summary>
    /// A healthy managed resource as an activation leaves it, made through the typed clients (faster than 50
    /// activations).
    /// </summary>
    private static async Task<VaultProperties> SeedAsync(AzureContext az, ResourceStore store, int i,
        CancellationToken ct)
    {
        string name = Name(i), vaultName = $"kvbudget{i:D3}", account = $"sabudget{i:D3}";
        var device = await az.Factory.GetEdgeDevicesClient().CreateAsync(az.ResourceGroup, name, az.Location, null, ct);
        VaultProperties vault = await az.Factory.GetVaultsClient().CreateOrUpdateAsync(az.ResourceGroup, vaultName,
            new VaultDefinition(az.Location, az.TenantId,
            [new VaultAccessPolicy(az.TenantId, az.ServiceObjectId.ToString(), ["get", "list", "set"]),
                new VaultAccessPolicy(az.TenantId, device.PrincipalId!.Value.ToString(), ["get", "set"])],
            EnablePurgeProtection: true), ct);
        await az.Factory.GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "edgekv-vault-lock", "CanNotDelete",
            null, ct);
        // Started, then read back as the activation does (EdgeKv's identity holds group roles only: the operation's
        // status lives at the subscription).
        var accounts = az.Factory.GetStorageAccountsClient();
        await accounts.StartCreateAsync(az.ResourceGroup, account, az.Location, "Standard_ZRS", null, ct);
        var storage = await accounts.GetAsync(az.ResourceGroup, account, ct);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromMinutes(2));
        while (!string.Equals(storage.ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            await Task.Delay(200, wait.Token);
            storage = await accounts.GetAsync(az.ResourceGroup, account, ct);
        }

        await az.Factory.GetDiagnosticSettingsClient().CreateOrUpdateAsync(vault.Id, "edgekv-audit", storage.Id,
            ["AuditEvent"], null, ct);
        KeyVaultSecret cik = (await az.CreateServiceSecretClient(vault.VaultUri!).SetSecretAsync("ChannelIntegrityKey",
            Convert.ToBase64String(Guid.NewGuid().ToByteArray()), ct)).Value;
        Assert.IsTrue(await store.TryAddAsync(new ResourceRecord
        {
            Name = name, ResourceId = device.Id, ResourceGroup = az.ResourceGroup, Location = az.Location,
                PrincipalId = device.PrincipalId, TenantId = device.TenantId,
            VaultName = vault.Name, VaultId = vault.Id, VaultUri = vault.VaultUri!.ToString(), CikSecretName = cik.Name,
            CikSecretVersion = cik.Properties.Version,
            AuditStorageAccountId = storage.Id, ActivationState = ActivationState.KeyIssued,
        }, ct));
        return vault;
    }
}
