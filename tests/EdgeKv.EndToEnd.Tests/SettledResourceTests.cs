using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeKv.Emulator.Admin;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// An alert is raised only for a condition that holds after the flow that could explain it has ended: a resource
/// still activating, being recovered or deleted is skipped by the sweep and by the alerts a refused device call
/// raises; and one page of checks that runs out of attempts does not lose the other pages' results.
/// </summary>
[TestClass]
public sealed class SettledResourceTests
{
    [TestMethod]
    public async Task A_sweep_and_a_refused_secret_write_while_activation_runs_raise_no_alert()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync(HealthFlows.HostArgs(sink));
        EdgeKvApi api = host.Api;
        await api.CreateResourceAsync("ase-busy1");
        // Hold step 8 (the identity's Get and Set) until the checks below have run: the vault exists, the identity has
        // no access yet. Removing the rule releases the hold.
        FaultRule hold = await host.Emulator.Admin.AddFaultAsync(new FaultRule("/accessPolicies/add$",
            FaultKind.Latency, Method: "PUT", LatencyMilliseconds: 3_600_000, Count: 1));
        using HttpResponseMessage started = await api.StartActivationAsync("ase-busy1");
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string statusUri = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        await WaitForStepAsync(api, statusUri, 8);

        JsonElement during = await api.SweepAsync();
        using HttpResponseMessage refused = await api.Http.PutAsJsonAsync("/api/resources/ase-busy1/customerSecrets/early", new { value = "not-yet" });

        Assert.AreEqual(0, during.GetProperty("checked").GetInt32(), during.ToString());
        Assert.AreEqual(1, during.GetProperty("skipped").GetInt32(), during.ToString());
        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode,
            "the vault refuses the identity until step 8 grants it");
        Assert.IsEmpty(await api.AlertsAsync("?resource=ase-busy1"), "nothing is alerted while the activation runs");

        await host.Emulator.Admin.RemoveFaultAsync(hold.Id!);
        JsonElement final = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        JsonElement after = await api.SweepAsync();
        Assert.AreEqual(1, after.GetProperty("checked").GetInt32(), after.ToString());
        Assert.AreEqual(0, after.GetProperty("activeFaults").GetInt32(), after.ToString());
        Assert.IsEmpty(await api.AlertsAsync("?resource=ase-busy1"));
    }

    [TestMethod]
    public async Task A_resource_whose_vault_recovery_runs_is_skipped_by_the_sweep_and_judged_again_when_it_ends()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-settled-recovery-device");
        var device = new DeviceAgent(deviceData.Path);
        // The recovery waits for the device (up to this bound), which answers only once the sweep below has run.
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:Health:DeviceSyncTimeout", "00:10:00"]);
        EdgeKvApi api = host.Api;
        await ActivationFlow.RunAsync(api, device, "ase-busy2", "customer-value-busy2");
        JsonElement resource = await api.ResourceAsync("ase-busy2");
        await host.Emulator.Admin.DeleteResourceAsync(resource.GetProperty("vault").GetProperty("id").GetString()!);
        Assert.AreEqual(1, (await api.SweepAsync()).GetProperty("raised").GetInt32(), "the deleted vault is alerted");

        using HttpResponseMessage started = await api.Http.PostAsJsonAsync("/api/resources/ase-busy2/recoverVault",
            new { });
        Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
        string statusUri = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
        await WaitForStatusAsync(api, statusUri, s => s.Contains("device", StringComparison.OrdinalIgnoreCase));

        JsonElement during = await api.SweepAsync();
        Assert.AreEqual(0, during.GetProperty("checked").GetInt32(), during.ToString());
        Assert.AreEqual(1, during.GetProperty("skipped").GetInt32(), during.ToString());
        Assert.AreEqual(0, during.GetProperty("resolved").GetInt32(),
            "a skipped resource keeps its alerts as they are");

        StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "300"), "ChannelIntegrityKey");
        JsonElement final = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
        JsonElement after = await api.SweepAsync();
        Assert.AreEqual(1, after.GetProperty("checked").GetInt32(), "the mark is cleared when the flow ends");
    }

    [TestMethod]
    public async Task A_page_that_runs_out_of_attempts_is_reported_unchecked_and_the_other_pages_are_kept()
    {
        using var sink = new NotificationSink();
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:Health:SweepPageSize", "1"]);
        EdgeKvApi api = host.Api;
        JsonElement first = await api.ActivatedResourceAsync("ase-page1");
        JsonElement second = await api.ActivatedResourceAsync("ase-page2");
        await host.Emulator.Admin.DeleteResourceAsync(second.GetProperty("vault").GetProperty("id").GetString()!);
        // Every read of the first resource's diagnostic settings fails: its page runs out of attempts.
        string firstVault = first.GetProperty("vault").GetProperty("name").GetString()!;
        await host.Emulator.Admin.AddFaultAsync(new FaultRule($"/vaults/{firstVault}/providers/Microsoft.Insights/diagnosticSettings", FaultKind.InternalError, Method: "GET"));

        JsonElement summary = await api.SweepAsync();

        Assert.AreEqual(2, summary.GetProperty("pages").GetInt32(), summary.ToString());
        Assert.AreEqual(1, summary.GetProperty("checked").GetInt32(), summary.ToString());
        Assert.AreEqual(1, summary.GetProperty("uncheckedPages").GetArrayLength(), summary.ToString());
        Assert.HasCount(1, (await api.AlertsAsync("?resource=ase-page2&state=Active")).Active("VaultDeleted"),
            "the other page's finding is kept");
        Assert.IsEmpty(await api.AlertsAsync("?resource=ase-page1"));
    }

    private static Task WaitForStepAsync(EdgeKvApi api, string statusUri, int step) =>
        WaitForAsync(api, statusUri,
            s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("step",
                out JsonElement n) && n.GetInt32() >= step);

    private static Task WaitForStatusAsync(EdgeKvApi api, string statusUri, Func<string, bool> matches) =>
        WaitForAsync(api, statusUri, s => s.ValueKind == JsonValueKind.String && matches(s.GetString()!));

    /// <summary>Polls the instance's custom status (bounded) until it matches while the instance still runs.</summary>
    private static async Task WaitForAsync(EdgeKvApi api, string statusUri, Func<JsonElement, bool> matches)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            using HttpResponseMessage response = await api.Http.GetAsync(statusUri, timeout.Token);
            JsonElement status = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode,
                "the instance ended before the awaited step: " + status);
            if (status.TryGetProperty("customStatus", out JsonElement custom) && matches(custom)) return;
            await Task.Delay(100, timeout.Token);
        }
    }
}
