using System.Text.Json.Nodes;
using EdgeKv.Durable.Hosting;
using EdgeKv.Functions.Hosting;
using EdgeKv.FunctionsHost;
using EdgeKv.Local;
using EdgeKv.Local.Hosting;
using EdgeKv.Orchestrations;
using EdgeKv.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// The local host refuses at start-up what the real Functions host refuses when it indexes the worker's functions or
/// reads host.json, with the same meaning, so that what starts locally starts in Azure. Each test names the source file
/// of the rule it follows.
/// </summary>
[TestClass]
public sealed class LocalHostRulesTests
{
    private static readonly string Metadata = File.ReadAllText(Path.Combine(AppContext.BaseDirectory,
        "functions.metadata"));

    private static IEnumerable<IndexedFunction> DurableFunctions =>
    [
        .. RegisteredTasks.Orchestrators(EdgeKvTasks.Register).Select(n => new IndexedFunction(n,
            "orchestrationTrigger")),
        .. RegisteredTasks.Activities(EdgeKvTasks.Register).Select(n => new IndexedFunction(n, "activityTrigger")),
    ];

    private static IConfiguration Settings => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HealthSweepSchedule"] = "0 */15 * * * *" }).Build();

    [TestMethod]
    public async Task The_running_host_indexes_the_metadata_and_every_orchestrator_and_activity_as_functions()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        FunctionCatalog catalog = host.Services.GetRequiredService<FunctionCatalog>();

        Assert.IsTrue(catalog.Indexed.Any(f => f.Name == "StartActivation" && f.Trigger == "httpTrigger"));
        Assert.IsTrue(catalog.Indexed.Any(f => f.Name == "HealthSweepTimer" && f.Trigger == "timerTrigger"));
        Assert.IsTrue(catalog.Indexed.Any(f => f.Trigger == "orchestrationTrigger") && catalog.Indexed.Any(f => f.Trigger == "activityTrigger"));
        Assert.AreEqual(JsonNode.Parse(Metadata)!.AsArray().Count + DurableFunctions.Count(), catalog.Indexed.Count);
    }

    // Follows Azure/azure-functions-host src/WebJobs.Script/Host/ScriptHost.cs (ValidateFunction: "must be unique
    // within the function app") and Azure/azure-functions-durable-extension
    // src/Worker.Extensions.DurableTask/Execution/DurableMetadataTransformer.cs (orchestrators and activities join the
    // same function list).
    [TestMethod]
    public async Task An_http_function_turned_off_by_AzureWebJobs_Disabled_is_not_served_and_the_others_are()
    {
        // The Functions host's own switch for one function; the local host honours the same app setting.
        await using HostFixture host = await HostFixture.StartAsync(extraArgs: ["--AzureWebJobs.ListResources.Disabled",
            "true"]);

        using HttpResponseMessage list = await host.Http.GetAsync("/api/resources");
        using HttpResponseMessage one = await host.Http.GetAsync("/api/resources/ase-none");

        Assert.AreEqual(System.Net.HttpStatusCode.NotFound, list.StatusCode);
        Assert.AreEqual(System.Net.HttpStatusCode.NotFound, one.StatusCode,
            "GetResource is served: the resource is unknown");
        StringAssert.Contains(await one.Content.ReadAsStringAsync(), "ResourceNotFound");
    }

    [TestMethod]
    public void A_name_used_by_an_http_function_and_an_activity_fails_start_up_naming_both()
    {
        IndexedFunction twin = new("healthsweeptimer", "activityTrigger"); // another case of the timer's name

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            FunctionCatalog.FromWorker(Metadata, typeof(EdgeKvServices).Assembly, [.. DurableFunctions, twin],
                Settings));

        StringAssert.Contains(error.Message, "HealthSweepTimer (timerTrigger, activityTrigger)");
    }

    [TestMethod]
    public void An_orchestrator_and_an_activity_of_one_name_fail_start_up()
    {
        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            FunctionCatalog.FromWorker(Metadata, typeof(EdgeKvServices).Assembly,
                [.. DurableFunctions, new("Twin", "orchestrationTrigger"), new("Twin", "activityTrigger")], Settings));

        StringAssert.Contains(error.Message, "Twin (orchestrationTrigger, activityTrigger)");
    }

    // Follows Azure/azure-functions-host src/WebJobs.Script/Description/Workers/WorkerFunctionDescriptorProvider.cs:
    // the worker's metadata becomes binding attributes whose %setting% expressions must resolve from the app settings,
    // or the function fails to index. Locally the value comes from the composition's defaults
    // (local.settings.sample.json), not from code.
    [TestMethod]
    public void A_trigger_naming_an_app_setting_that_is_not_set_fails_start_up()
    {
        using var data = new TempDirectory("rules");
        string defaults = Path.Combine(data.Path, "defaults.json");
        File.WriteAllText(defaults, """{ "Values": { "EdgeKv__DataPath": ".data" } }""");

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => EdgeKvApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path], defaultSettings: defaults));

        StringAssert.Contains(error.Message, "'%HealthSweepSchedule%' (schedule) does not resolve to a value");
    }

    [TestMethod]
    public async Task The_local_defaults_give_the_timer_its_schedule_setting()
    {
        using var data = new TempDirectory("rules");
        await using WebApplication app = EdgeKvApplication.Build(["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath",
            data.Path]);

        Assert.AreEqual("0 */15 * * * *", app.Configuration["HealthSweepSchedule"],
            "from local.settings.sample.json beside the host");
    }

    // Follows Azure/azure-functions-durable-extension src/WebJobs.Extensions.DurableTask/DurableTaskExtension.cs: a
    // storage provider type no registered factory has fails start-up ("Storage provider type (X) was not found").
    [TestMethod]
    public void A_storage_provider_type_the_durable_extension_does_not_know_fails_start_up()
    {
        using var data = new TempDirectory("rules");

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => EdgeKvApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path,
                "--extensions:durableTask:storageProvider:type", "sqlite"]));

        StringAssert.Contains(error.Message, "Storage provider type (sqlite) was not found");
    }

    // Follows Azure/azure-functions-durable-extension src/WebJobs.Extensions.DurableTask/Options/DurableTaskOptions.cs,
    // which defines no lease or dequeue setting: the real host would ignore the key, so nothing it says would take
    // effect.
    [TestMethod]
    public void A_durable_key_the_extension_does_not_define_fails_start_up_naming_the_app_setting_instead()
    {
        using var data = new TempDirectory("rules");

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => EdgeKvApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--EdgeKv:DataPath", data.Path, "--extensions:durableTask:workItemLease",
                "00:00:10"]));

        StringAssert.Contains(error.Message, "EdgeKv:TaskHub:WorkItemLease");
    }

    // Follows Azure/azure-functions-host src/WebJobs.Script/Config/HostJsonFileConfigurationSource.cs: host.json must
    // say version "2.0"; a missing or other version stops the host.
    [TestMethod]
    public void A_host_json_without_version_2_0_fails_start_up()
    {
        using var data = new TempDirectory("rules");
        string hostJson = Path.Combine(data.Path, "host.json");

        File.WriteAllText(hostJson, """{ "version": "3.0" }""");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => HostConfigurationRules.Validate(Settings, hostJson)).Message,
            "'3.0' is an invalid value for host.json 'version' property");
        File.WriteAllText(hostJson, """{ "extensions": {} }""");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => HostConfigurationRules.Validate(Settings, hostJson)).Message,
            "missing the required 'version' property");
        File.WriteAllText(hostJson, """{ "version": "2.0" }""");
        HostConfigurationRules.Validate(Settings, hostJson);
        HostConfigurationRules.Validate(Settings,
            Path.Combine(AppContext.BaseDirectory, "host.json")); // the repository's own
    }

    // Follows Azure/azure-functions-host src/WebJobs.Script/Host/ScriptHost.cs (HttpRoutesConflict: the same route and
    // an intersecting method, no methods meaning all, conflict; ValidateHttpFunction: admin and runtime are the
    // host's).
    [TestMethod]
    public void Two_http_functions_on_one_route_and_method_fail_start_up()
    {
        Assert.ThrowsExactly<InvalidOperationException>(() => WithExtraHttpFunction("resources", ["GET"]),
            "same route, same method");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => WithExtraHttpFunction("Resources/",
            null)).Message,
            "conflicts with the route defined by function 'ListResources'");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => WithExtraHttpFunction("runtime/webhooks/x", ["POST"])).Message,
            "built in routes");
        WithExtraHttpFunction("resources", ["POST"]); // another method on the same route is no conflict
    }

    // Follows Azure/azure-functions-durable-extension src/Worker.Extensions.DurableTask/DurableTaskExtensionStartup.cs
    // (the worker's services get only the extension's internal FunctionsDurableClientProvider, no DurableTaskClient)
    // and src/Worker.Extensions.DurableTask/DurableTaskClientConverter.cs (a client is made for each [DurableClient]
    // binding): in Azure a class that asks for a DurableTaskClient in its constructor cannot be built and its functions
    // answer 500.
    [TestMethod]
    public async Task A_function_class_asking_for_a_DurableTaskClient_in_its_constructor_fails_start_up()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        Assert.IsNull(host.Services.GetService<DurableTaskClient>(), "no Durable client among the services");
        Assert.IsNull(host.Services.GetService<IDurableTaskClientProvider>(), "nor a way to make one");
        Assert.IsNotNull(DurableClientBinding.GetClient(host.Services),
            "the host keeps one for [DurableClient] parameters");
        string metadata = $$"""
            [{ "name": "ClientInConstructor", "entryPoint": "{{typeof(ClientInConstructorFunction).FullName}}.Run",
               "bindings": [{ "name": "request", "type": "httpTrigger", "direction": "In", "authLevel": "Anonymous", "methods": ["get"], "route": "client-in-constructor" }] }]
            """;
        FunctionCatalog catalog = FunctionCatalog.FromWorker(metadata, typeof(ClientInConstructorFunction).Assembly, [],
            Settings);

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => DurableClientBinding.RefuseUnbuildableClasses(catalog.Functions, host.Services));

        StringAssert.Contains(error.Message,
            "Function ClientInConstructor: class ClientInConstructorFunction asks for a DurableTaskClient");
        StringAssert.Contains(error.Message, "[DurableClient] parameter");
        FunctionCatalog edgeKv = host.Services.GetRequiredService<FunctionCatalog>();
        DurableClientBinding.RefuseUnbuildableClasses(edgeKv.Functions, host.Services);
        using IServiceScope scope = host.Services.CreateScope();
        foreach (Type type in edgeKv.Functions.Where(f => !f.Method.IsStatic).Select(f => f.FunctionType).Distinct())
        {
            // As the worker builds them for an invocation: with every service they need, none a Durable client
            // (AlertRaiser's included).
            Assert.IsNotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type), type.Name);
        }
    }

    private static FunctionCatalog WithExtraHttpFunction(string route, string[]? methods)
    {
        JsonArray functions = JsonNode.Parse(Metadata)!.AsArray();
        JsonNode copy = functions.Single(f => (string?)f!["name"] == "ListResources")!.DeepClone();
        copy["name"] = "ListResourcesAgain";
        JsonNode trigger = copy["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "httpTrigger")!;
        trigger["route"] = route;
        trigger["methods"] = methods is null ? null : new JsonArray([.. methods.Select(m => JsonValue.Create(m))]);
        functions.Add(copy);
        return FunctionCatalog.FromWorker(functions.ToJsonString(), typeof(EdgeKvServices).Assembly, DurableFunctions,
            Settings);
    }
}
