using EdgeKv.Durable.Hosting;
using EdgeKv.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EdgeKv.Durable.Tests;

/// <summary>
/// Each host on a shared Azure Storage hub is its own worker, and stays the same one across its restarts.
/// </summary>
[TestClass]
public sealed class TaskHubWorkerIdTests
{
    private static readonly Func<string, string?> NoAppService = _ => null;

    [TestMethod]
    public void The_app_setting_names_the_worker()
    {
        using var data = new TempDirectory("worker-id");
        var hub = DurableTaskHubOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EdgeKv:TaskHub:WorkerId"] = "edge-a" }).Build());
        using TaskHubWorkerId id = TaskHubWorkerId.Resolve(hub.WorkerId,
            name => name == "WEBSITE_INSTANCE_ID" ? "instance" : null, data.Path);
        Assert.AreEqual("edge-a", id.Value);
        Assert.IsFalse(Directory.Exists(Path.Combine(data.Path, TaskHubWorkerId.FolderName)),
            "a named worker keeps nothing under the data path");
    }

    [TestMethod]
    public void On_App_Service_the_instance_names_the_worker_as_the_Durable_extension_does()
    {
        using var data = new TempDirectory("worker-id");
        var stamped = new Dictionary<string, string> { ["WEBSITE_CURRENT_STAMPNAME"] = "waws-prod-xyz",
            ["RoleInstanceId"] = "dw0SmallDedicatedWebWorkerRole_IN_3", ["WEBSITE_INSTANCE_ID"] = "ab12" };
        using (TaskHubWorkerId id = TaskHubWorkerId.Resolve(null, stamped.GetValueOrDefault,
            data.Path)) Assert.AreEqual("waws-prod-xyz:dw0SmallDedicatedWebWorkerRole_IN_3", id.Value);
        using (TaskHubWorkerId id = TaskHubWorkerId.Resolve(null, name => name == "WEBSITE_INSTANCE_ID" ? "ab12" : null,
            data.Path)) Assert.AreEqual("ab12", id.Value);
    }

    [TestMethod]
    public void A_generated_id_is_kept_across_restarts_and_two_hosts_on_one_data_path_get_two()
    {
        using var data = new TempDirectory("worker-id");
        string first;
        using (TaskHubWorkerId id = TaskHubWorkerId.Resolve(null, NoAppService, data.Path))
        {
            first = id.Value;
            StringAssert.StartsWith(first, Environment.MachineName + "-");
        }

        using TaskHubWorkerId restarted = TaskHubWorkerId.Resolve(null, NoAppService, data.Path);
        Assert.AreEqual(first, restarted.Value, "a restarted host is the same worker, and takes its partitions back");

        // While the first host runs, a second one on the same data path cannot take its id.
        using TaskHubWorkerId second = TaskHubWorkerId.Resolve(null, NoAppService, data.Path);
        Assert.AreNotEqual(first, second.Value);
        second.Dispose();
        using TaskHubWorkerId secondAgain = TaskHubWorkerId.Resolve(null, NoAppService, data.Path);
        Assert.AreEqual(second.Value, secondAgain.Value, "the second host's id is kept too");
    }

    [TestMethod]
    public void Lease_settings_are_read_from_the_app_settings_and_a_lease_renewed_too_late_is_refused()
    {
        var settings = new Dictionary<string, string?>
        {
            ["EdgeKv:TaskHub:PartitionLeaseInterval"] = "00:00:12",
            ["EdgeKv:TaskHub:PartitionLeaseRenewInterval"] = "00:00:03",
            ["EdgeKv:TaskHub:ControlQueueVisibilityTimeout"] = "00:00:15",
            ["EdgeKv:TaskHub:MaxQueuePollingInterval"] = "00:00:00.500",
        };
        var hub = DurableTaskHubOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        Assert.AreEqual(TimeSpan.FromSeconds(12), hub.PartitionLeaseInterval);
        Assert.AreEqual(TimeSpan.FromSeconds(3), hub.PartitionLeaseRenewInterval);
        Assert.AreEqual(TimeSpan.FromSeconds(15), hub.ControlQueueVisibilityTimeout);
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), hub.MaxQueuePollingInterval);
        hub.Validate();

        settings["EdgeKv:TaskHub:PartitionLeaseRenewInterval"] = "00:00:12";
        hub = DurableTaskHubOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        Assert.ThrowsExactly<InvalidOperationException>(hub.Validate);
    }
}
