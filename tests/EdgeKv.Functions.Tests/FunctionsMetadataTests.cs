using System.Reflection;
using System.Text.Json;
using EdgeKv.Durable.Hosting;
using EdgeKv.Functions.Hosting;
using EdgeKv.Functions.Security;
using EdgeKv.FunctionsHost;
using EdgeKv.FunctionsHost.Timers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeKv.Functions.Tests;

/// <summary>
/// What the Worker SDK wrote into <c>functions.metadata</c> (the file the Functions host indexes in Azure) is EdgeKv's
/// whole function surface, and the local host serves exactly that: same trigger, route, methods and permission.
/// </summary>
[TestClass]
public sealed class FunctionsMetadataTests
{
    /// <summary>
    /// Every HTTP, timer and webhook function EdgeKv has: name, trigger, route (without the "api" prefix), methods.
    /// </summary>
    private static readonly (string Name, string Trigger, string? Route, string Methods)[] Expected =
    [
        ("AcceptAccessPolicy", "httpTrigger", "resources/{name}/accessPolicies/{objectId}/accept", "post"),
        ("ActivateDevice", "httpTrigger", "device/activate", "post"),
        ("AlertTimeline", "httpTrigger", "alerts/timeline", "get"),
        ("AnswerDeviceSync", "httpTrigger", "device/{name}/sync/{requestId}", "put"),
        ("DeleteCustomerSecret", "httpTrigger", "resources/{name}/customerSecrets/{secret}", "delete"),
        ("DeleteKey", "httpTrigger", "keys/{name}", "delete"),
        ("DeleteKmsProvider", "httpTrigger", "kms/{name}", "delete"),
        ("DeleteRoleAssignment", "httpTrigger", "roleAssignments/{id}", "delete"),
        ("EventGridWebhook", "httpTrigger", "eventgrid", "post,options"),
        ("FetchActivationKey", "httpTrigger", "resources/{name}/activationKey", "get"),
        ("GetCustomerSecret", "httpTrigger", "device/{name}/customerSecrets/{secret}", "get"),
        ("GetCustomerSecretProperties", "httpTrigger", "resources/{name}/customerSecrets/{secret}", "get"),
        ("GetInstance", "httpTrigger", "durabletask/instances/{instanceId}", "get"),
        ("GetKey", "httpTrigger", "keys/{name}", "get"),
        ("GetKmsKey", "httpTrigger", "kms/{name}/keys/{keyName}", "get"),
        ("GetKmsProvider", "httpTrigger", "kms/{name}", "get"),
        ("GetResource", "httpTrigger", "resources/{name}", "get"),
        ("GetRoleAssignment", "httpTrigger", "roleAssignments/{id}", "get"),
        ("GetSecurityAccessPolicies", "httpTrigger", "resources/{name}/security/accessPolicies", "get"),
        ("GetSecurityAuditLogs", "httpTrigger", "resources/{name}/security/auditLogs", "get"),
        ("GetSecurityDiagnostics", "httpTrigger", "resources/{name}/security/diagnostics", "get"),
        ("GetSecurityIdentity", "httpTrigger", "resources/{name}/security/identity", "get"),
        ("GetSecurityInsights", "httpTrigger", "resources/{name}/security/insights", "get"),
        ("GetSecurityLocks", "httpTrigger", "resources/{name}/security/locks", "get"),
        ("GetSecuritySecrets", "httpTrigger", "resources/{name}/security/secrets", "get"),
        ("GetSecuritySummary", "httpTrigger", "resources/{name}/security", "get"),
        ("HealKmsKey", "httpTrigger", "kms/{name}/keys/{keyName}/heal", "post"),
        ("HealthSweepTimer", "timerTrigger", null, ""),
        ("ListAlerts", "httpTrigger", "alerts", "get"),
        ("ListCustomerSecrets", "httpTrigger", "resources/{name}/customerSecrets", "get"),
        ("ListDeletedCustomerSecrets", "httpTrigger", "resources/{name}/deletedCustomerSecrets", "get"),
        ("ListHealthSweeps", "httpTrigger", "health/sweeps", "get"),
        ("ListInstances", "httpTrigger", "durabletask/instances", "get"),
        ("ListKeys", "httpTrigger", "keys", "get"),
        ("ListKmsKeys", "httpTrigger", "kms/{name}/keys", "get"),
        ("ListKmsProviders", "httpTrigger", "kms", "get"),
        ("ListResources", "httpTrigger", "resources", "get"),
        ("ListRoleAssignments", "httpTrigger", "roleAssignments", "get"),
        ("PollDeviceSyncRequest", "httpTrigger", "device/{name}/syncRequest", "get"),
        ("PurgeInstance", "httpTrigger", "durabletask/instances/{instanceId}", "delete"),
        ("PurgeInstances", "httpTrigger", "durabletask/instances", "delete"),
        ("PushDeviceSecrets", "httpTrigger", "device/{name}/secrets", "put"),
        ("PutCustomerSecret", "httpTrigger", "resources/{name}/customerSecrets/{secret}", "put"),
        ("PutKey", "httpTrigger", "keys/{name}", "put"),
        ("PutKmsProvider", "httpTrigger", "kms/{name}", "put"),
        ("PutResource", "httpTrigger", "resources/{name}", "put"),
        ("PutRoleAssignment", "httpTrigger", "roleAssignments/{id}", "put"),
        ("QueryAudit", "httpTrigger", "audit", "get"),
        ("RaiseInstanceEvent", "httpTrigger", "durabletask/instances/{instanceId}/raiseEvent/{eventName}", "post"),
        ("RecoverCustomerSecret", "httpTrigger", "resources/{name}/deletedCustomerSecrets/{secret}/recover", "post"),
        ("RemoveKmsKey", "httpTrigger", "kms/{name}/keys/{keyName}", "delete"),
        ("ResolveAlert", "httpTrigger", "alerts/{id}/resolve", "post"),
        ("RestartInstance", "httpTrigger", "durabletask/instances/{instanceId}/restart", "post"),
        ("ResumeInstance", "httpTrigger", "durabletask/instances/{instanceId}/resume", "post"),
        ("RevokeDeviceCredential", "httpTrigger", "resources/{name}/deviceCredential/revoke", "post"),
        ("RotateDeviceCredential", "httpTrigger", "device/{name}/credential", "post"),
        ("ServeDashboard", "httpTrigger", "dashboard/{*path}", "get"),
        ("StartAccessPolicyRemoval", "httpTrigger", "resources/{name}/accessPolicies/{objectId}/remove", "post"),
        ("StartActivation", "httpTrigger", "resources/{name}/activationKey", "post"),
        ("StartActivationKeyRegeneration", "httpTrigger", "resources/{name}/activationKey/regenerate", "post"),
        ("StartChannelIntegrityKeyRotation", "httpTrigger", "resources/{name}/rotateChannelIntegrityKey", "post"),
        ("StartDeviceSecretsSync", "httpTrigger", "resources/{name}/syncDeviceSecrets", "post"),
        ("StartHealthSweep", "httpTrigger", "health/sweep", "post"),
        ("StartIdentityAccessRecovery", "httpTrigger", "resources/{name}/recoverIdentityAccess", "post"),
        ("StartKeyDistribution", "httpTrigger", "kms/{name}/keys/{keyName}", "put"),
        ("StartKeyRotation", "httpTrigger", "keys/{name}/rotate", "post"),
        ("StartOrchestration", "httpTrigger", "durabletask/orchestrators/{name}/{instanceId?}", "post"),
        ("StartResourceDeletion", "httpTrigger", "resources/{name}", "delete"),
        ("StartVaultRecovery", "httpTrigger", "resources/{name}/recoverVault", "post"),
        ("StartVaultRoleAssignmentRemoval", "httpTrigger",
            "resources/{name}/vaultRoleAssignments/{assignmentName}/remove", "post"),
        ("SuspendInstance", "httpTrigger", "durabletask/instances/{instanceId}/suspend", "post"),
        ("TerminateInstance", "httpTrigger", "durabletask/instances/{instanceId}/terminate", "post"),
        ("UpdateKey", "httpTrigger", "keys/{name}", "patch"),
        ("VerifyAudit", "httpTrigger", "audit/verify", "get"),
    ];

    [TestMethod]
    public void The_worker_sdk_metadata_lists_every_function_with_its_trigger_route_and_methods()
    {
        (string Name, string Trigger, string? Route,
            string Methods)[] actual = [.. Metadata().Select(f => (f.Name, f.Trigger, f.Route,
                string.Join(',', f.Methods))).OrderBy(f => f.Name, StringComparer.Ordinal)];

        CollectionAssert.AreEqual(Expected.Select(e => e.ToString()).ToArray(),
            actual.Select(a => a.ToString()).ToArray());
        Assert.IsTrue(File.Exists(Path.Combine(AppContext.BaseDirectory, "worker.config.json")),
            "the Worker SDK's output is beside the metadata");
        Assert.IsTrue(File.Exists(Path.Combine(AppContext.BaseDirectory, "extensions.json")));
    }

    /// <summary>
    /// The Functions host keeps one name space for every function the worker reports: the metadata's HTTP and timer
    /// functions and one function per orchestrator and activity of the registry. A name twice fails its whole index
    /// with "Method overloads are not supported" (the WebJobs SDK indexer the host runs), and nothing runs.
    /// </summary>
    [TestMethod]
    public void No_function_name_is_used_twice_across_triggers_orchestrators_and_activities() => AssertEveryNameOnce(Metadata());

    /// <summary>
    /// The metadata's functions and the registry's orchestrators and activities: each name once, case-insensitively.
    /// </summary>
    internal static void AssertEveryNameOnce(IReadOnlyList<MetadataFunction> metadata)
    {
        string[] names =
        [
            .. metadata.Select(f => f.Name),
            .. RegisteredTasks.Orchestrators(EdgeKv.Orchestrations.EdgeKvTasks.Register),
            .. RegisteredTasks.Activities(EdgeKv.Orchestrations.EdgeKvTasks.Register),
        ];

        string[] twice = [.. names.GroupBy(n => n,
            StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)];
        Assert.AreEqual(0, twice.Length, "names used twice: " + string.Join(", ", twice));
        Assert.IsTrue(names.Length > metadata.Count + 40, "the registry's orchestrators and activities were read");
    }

    [TestMethod]
    public void The_health_sweep_timer_takes_its_schedule_from_an_app_setting_and_keeps_a_monitor()
    {
        MetadataFunction sweep = Metadata().Single(f => f.Name == "HealthSweepTimer");

        Assert.AreEqual("%HealthSweepSchedule%",
            sweep.Trigger == "timerTrigger" ? sweep.Binding.GetProperty("schedule").GetString() : null);
        Assert.IsTrue(sweep.Binding.GetProperty("useMonitor").GetBoolean());
    }

    [TestMethod]
    public async Task Every_http_function_of_the_metadata_is_served_locally_with_the_same_route_methods_and_permission()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        RouteEndpoint[] endpoints = [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

        foreach (MetadataFunction function in Metadata().Where(f => f.Trigger == "httpTrigger"))
        {
            RouteEndpoint? served = endpoints.SingleOrDefault(e => e.Metadata.GetMetadata<FunctionDescriptor>()?.Name == function.Name);
            Assert.IsNotNull(served, function.Name);
            Assert.AreEqual("/api/" + function.Route, served.RoutePattern.RawText, function.Name);
            CollectionAssert.AreEquivalent(function.Methods.Select(m => m.ToUpperInvariant()).ToArray(),
                served.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.ToArray(), function.Name);
            MethodInfo method = function.Method();
            Assert.AreEqual(Describe(method.GetCustomAttribute<RequiresPermissionAttribute>()),
                Describe(served.Metadata.GetMetadata<RequiresPermissionAttribute>()), function.Name);
            Assert.AreEqual(method.GetCustomAttribute<AuthenticatedByAttribute>()?.Credential,
                served.Metadata.GetMetadata<AuthenticatedByAttribute>()?.Credential, function.Name);
            Assert.IsTrue(method.GetCustomAttribute<RequiresPermissionAttribute>() is not null || method.GetCustomAttribute<AuthenticatedByAttribute>() is not null, $"{function.Name} declares no permission");
        }

        int servedFunctions = endpoints.Count(e => e.Metadata.GetMetadata<FunctionDescriptor>() is not null);
        Assert.AreEqual(Metadata().Count(f => f.Trigger == "httpTrigger"), servedFunctions,
            "the local host serves no function the metadata lacks");
    }

    [TestMethod]
    public async Task Every_timer_function_of_the_metadata_is_scheduled_locally_on_its_resolved_schedule()
    {
        await using HostFixture host = await HostFixture.StartAsync();
        ITimerFunction[] timers = [.. host.Services.GetServices<ITimerFunction>()];

        foreach (MetadataFunction function in Metadata().Where(f => f.Trigger == "timerTrigger"))
        {
            ITimerFunction? timer = timers.SingleOrDefault(t => t.Name == function.Name);
            Assert.IsNotNull(timer, function.Name);
            Assert.AreEqual(LocalDefault("HealthSweepSchedule"), timer.DefaultSchedule,
                "the app setting, from the local defaults");
            Assert.AreEqual(function.Binding.GetProperty("useMonitor").GetBoolean(), timer.Defaults.UseMonitor);
        }

        Assert.AreEqual(Metadata().Count(f => f.Trigger == "timerTrigger"), timers.Length);
    }

    private static string? LocalDefault(string setting)
    {
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory,
            "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").GetProperty(setting).GetString();
    }

    private static string? Describe(RequiresPermissionAttribute? permission) =>
        permission is null ? null : $"{permission.Permission} audited={permission.Audited} resource={permission.ResourceRouteValue}";

    private static List<MetadataFunction> Metadata() => Metadata(AppContext.BaseDirectory);

    /// <summary>
    /// The <c>functions.metadata</c> in a folder (the build output beside the tests, or a publish folder).
    /// </summary>
    internal static List<MetadataFunction> Metadata(string folder)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "functions.metadata")));
        var functions = new List<MetadataFunction>();
        foreach (JsonElement function in document.RootElement.EnumerateArray())
        {
            JsonElement trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            functions.Add(new MetadataFunction(
                function.GetProperty("name").GetString()!,
                trigger.GetProperty("type").GetString()!,
                trigger.TryGetProperty("route", out JsonElement route) ? route.GetString() : null,
                trigger.TryGetProperty("methods",
                    out JsonElement methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!)] : [],
                function.GetProperty("entryPoint").GetString()!,
                trigger.Clone()));
        }

        return functions;
    }

    internal sealed record MetadataFunction(string Name, string Trigger, string? Route, string[] Methods,
        string EntryPoint, JsonElement Binding)
    {
        public MethodInfo Method()
        {
            int dot = EntryPoint.LastIndexOf('.');
            return typeof(EdgeKvServices).Assembly.GetType(EntryPoint[..dot],
                throwOnError: true)!.GetMethod(EntryPoint[(dot + 1)..])!;
        }
    }
}
