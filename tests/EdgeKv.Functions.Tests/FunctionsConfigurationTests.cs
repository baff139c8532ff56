using EdgeKv.Local.Hosting;
using EdgeKv.Local;
using EdgeKv.Durable.Hosting;
using EdgeKv.Functions.Hosting;
using EdgeKv.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeKv.Functions.Tests;

[TestClass]
public sealed class FunctionsConfigurationTests
{
    [TestMethod]
    public void Values_of_local_settings_become_app_settings_with_double_underscores_as_sections()
    {
        using var folder = new TempDirectory("settings");
        string path = Path.Combine(folder.Path, "local.settings.json");
        File.WriteAllText(path, """
            {
              // comments are allowed, as the Functions tools allow them
              "IsEncrypted": false,
              "Values": { "EdgeKv__DataPath": "/var/lib/edgekv", "extensions:durableTask:hubName": "Fleet", }
            }
            """);

        Dictionary<string, string?> values = FunctionsConfiguration.ReadValues(path).ToDictionary();

        Assert.AreEqual("/var/lib/edgekv", values["EdgeKv:DataPath"]);
        Assert.AreEqual("Fleet", values["extensions:durableTask:hubName"]);
    }

    [TestMethod]
    public void A_local_settings_file_that_is_not_json_is_a_clear_start_up_error()
    {
        using var folder = new TempDirectory("settings");
        string path = Path.Combine(folder.Path, "local.settings.json");
        File.WriteAllText(path, "{ Values: ");

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => FunctionsConfiguration.ReadValues(path).ToList());
        StringAssert.Contains(error.Message, "local.settings.json");
    }

    [TestMethod]
    public void Host_json_settings_reach_the_runtime_and_arguments_override_them()
    {
        using var data = new TempDirectory("settings");
        WebApplication app = EdgeKvApplication.Build(["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path,
            "--extensions:durableTask:maxConcurrentActivityFunctions", "3"]);

        DurableTaskHubOptions options = app.Services.GetRequiredService<IOptions<DurableTaskHubOptions>>().Value;

        Assert.AreEqual("EdgeKvHub", options.HubName, "from host.json");
        Assert.AreEqual(TimeSpan.FromMinutes(1), options.WorkItemLease,
            "from the local defaults, local.settings.sample.json");
        Assert.AreEqual("Sqlite", options.StorageProvider.Type,
            "the local host's provider is its own app setting, not host.json's AzureStorage");
        Assert.AreEqual(3, options.MaxConcurrentActivityFunctions, "the argument wins over host.json");
    }

    [TestMethod]
    [DoNotParallelize] // sets a process environment variable, as the Functions platform gives app settings
    public void An_AzureFunctionsJobHost_app_setting_overrides_host_json_as_in_the_Functions_host()
    {
        using var data = new TempDirectory("settings");
        const string Setting = "AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions";
        string? previous = Environment.GetEnvironmentVariable(Setting);
        Environment.SetEnvironmentVariable(Setting, "7");
        try
        {
            WebApplication app = EdgeKvApplication.Build(["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath",
                data.Path]);

            Assert.AreEqual(7, app.Services.GetRequiredService<IOptions<DurableTaskHubOptions>>().Value.MaxConcurrentActivityFunctions);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Setting, previous);
        }
    }
}
