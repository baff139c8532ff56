using System.Text.Json;

namespace EdgeKv.Infra.Tests;

/// <summary>
/// infra/main.bicep through the real Bicep CLI: it compiles, the linter has nothing to say, and the template grants
/// EdgeKv's identity what the README says (Contributor, a locks-only custom role and Storage Blob Data Reader on the
/// group, a read-only custom role at the subscription, no more) and subscribes only vault deletions and writes (and
/// Key Vault's access-policy event of named vaults), with the webhook's key read at deployment; and the reading of the
/// grants that the emulator's tests use (InfraTemplateRoles) agrees with the template the Bicep CLI compiles.
/// </summary>
[TestClass]
public sealed class BicepTests
{
    private static readonly string Template = BicepCli.Template("main.bicep");

    [TestMethod]
    public async Task The_template_lints_clean()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("lint", Template);

        Assert.AreEqual(0, code, error);
        Assert.AreEqual(string.Empty, (output + error).Trim(), "the linter reports nothing");
    }

    [TestMethod]
    public async Task The_template_grants_the_identity_only_what_EdgeKv_needs_and_subscribes_vault_deletions_only()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("build", Template, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        JsonElement resources = arm.RootElement.GetProperty("resources");
        List<JsonElement> all = resources.ValueKind == JsonValueKind.Object ? [.. resources.EnumerateObject().Select(p => p.Value)] : [.. resources.EnumerateArray()];
        string Type(JsonElement r) => r.GetProperty("type").GetString()!;

        JsonElement role = all.Single(r => Type(r) == "Microsoft.Authorization/roleDefinitions");
        string[] actions = [.. role.GetProperty("properties").GetProperty("permissions")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)];
        CollectionAssert.AreEquivalent(new[] { "Microsoft.Authorization/locks/read",
            "Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete" }, actions);
        JsonElement[] groupAssignments = [.. all.Where(r => Type(r) == "Microsoft.Authorization/roleAssignments" && !r.TryGetProperty("scope", out _))];
        Assert.AreEqual(3, groupAssignments.Length,
            "on the group: Contributor, the lock role and Storage Blob Data Reader, nothing else");
        string assignments = string.Join(' ',
            groupAssignments.Select(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()));
        StringAssert.Contains(assignments, "variables('contributorRoleId')");
        StringAssert.Contains(assignments, "variables('blobDataReaderRoleId')");
        Assert.AreEqual("b24988ac-6180-42a0-ab88-20f7382dd24c",
            arm.RootElement.GetProperty("variables").GetProperty("contributorRoleId").GetString(), "Contributor");
        Assert.AreEqual("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            arm.RootElement.GetProperty("variables").GetProperty("blobDataReaderRoleId").GetString(),
            "Storage Blob Data Reader");
        Assert.IsFalse(output.Contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", StringComparison.OrdinalIgnoreCase),
            "never Owner");
        Assert.IsFalse(output.Contains("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", StringComparison.OrdinalIgnoreCase),
            "never User Access Administrator");

        JsonElement subscription = all.Single(r => Type(r) == "Microsoft.EventGrid/systemTopics/eventSubscriptions").GetProperty("properties");
        CollectionAssert.AreEqual(new[] { "Microsoft.Resources.ResourceDeleteSuccess",
            "Microsoft.Resources.ResourceWriteSuccess" },
            subscription.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()).ToArray());
        StringAssert.Contains(subscription.GetProperty("filter").GetProperty("subjectBeginsWith").GetString(),
            "/providers/Microsoft.KeyVault/vaults/");
        string endpoint = subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!;
        StringAssert.Contains(endpoint, "/api/eventgrid?functionName=VaultEvents&code=");
        StringAssert.Contains(endpoint, "listKeys(",
            "the function key is read at deployment, never passed as a parameter");
        JsonElement vaultEvents = all.Single(r => Type(r) == "Microsoft.EventGrid/eventSubscriptions").GetProperty("properties");
        CollectionAssert.AreEqual(new[] { "Microsoft.KeyVault.VaultAccessPolicyChanged" },
            vaultEvents.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [TestMethod]
    public async Task The_subscription_module_grants_a_read_only_role_and_nothing_else()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("build",
            BicepCli.Template("subscription-roles.bicep"), "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        JsonElement resources = arm.RootElement.GetProperty("resources");
        List<JsonElement> all = resources.ValueKind == JsonValueKind.Object ? [.. resources.EnumerateObject().Select(p => p.Value)] : [.. resources.EnumerateArray()];
        JsonElement role = all.Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleDefinitions");
        string[] actions = [.. role.GetProperty("properties").GetProperty("permissions")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)];
        Assert.IsTrue(actions.All(a => a.EndsWith("/read", StringComparison.Ordinal)),
            "read only: " + string.Join(", ", actions));
        Assert.AreEqual(1, all.Count(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"));
        (code, output, error) = await BicepCli.RunAsync("build", Template, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument main = JsonDocument.Parse(output);
        JsonElement mainResources = main.RootElement.GetProperty("resources");
        JsonElement module = (mainResources.ValueKind == JsonValueKind.Object ? mainResources.EnumerateObject().Select(p => p.Value) : mainResources.EnumerateArray())
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == "edgekv-subscription-roles");
        Assert.IsTrue(module.TryGetProperty("subscriptionId", out _) && !module.TryGetProperty("resourceGroup", out _),
            "main.bicep deploys the module at the subscription");
    }

    [TestMethod]
    public async Task The_RBAC_mode_module_defines_the_two_vault_roles_and_lets_EdgeKv_assign_only_those_under_a_condition_and_only_in_that_mode()
    {
        string module = BicepCli.Template("vault-rbac-roles.bicep");
        (int code, string output, string error) = await BicepCli.RunAsync("build", module, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        JsonElement resources = arm.RootElement.GetProperty("resources");
        List<JsonElement> all = resources.ValueKind == JsonValueKind.Object ? [.. resources.EnumerateObject().Select(p => p.Value)] : [.. resources.EnumerateArray()];
        string[] Permissions(JsonElement role,
            string field) => role.GetProperty("properties").GetProperty("permissions")[0].TryGetProperty(field,
                out JsonElement list)
            ? [.. list.EnumerateArray().Select(a => a.GetString()!)] : [];
        List<JsonElement> definitions = [.. all.Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleDefinitions")];
        foreach (JsonElement definition in definitions)
        {
            string[] actions = Permissions(definition, "actions");
            Assert.IsFalse(actions.Any(a => a == "*" || a.StartsWith("Microsoft.Authorization/roleDefinitions",
                StringComparison.OrdinalIgnoreCase) || a.EndsWith("/*", StringComparison.Ordinal)),
                $"no role of the module may write role definitions or hold a wildcard: {string.Join(", ", actions)}");
        }

        JsonElement Named(string key) => definitions.Single(d => d.GetProperty("name").GetString()!.Contains(key,
            StringComparison.Ordinal));
        JsonElement device = Named("'edgekv-device-secret-access'");
        JsonElement service = Named("'edgekv-service-secret-access'");
        JsonElement assigner = Named("'edgekv-vault-role-assigner'");
        Assert.AreEqual(3, definitions.Count);
        CollectionAssert.AreEquivalent(new[] { "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/setSecret/action" }, Permissions(device, "dataActions"));
        CollectionAssert.AreEquivalent(new[]
        {
            "Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/setSecret/action",
                "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
            "Microsoft.KeyVault/vaults/secrets/delete", "Microsoft.KeyVault/vaults/secrets/recover/action",
        }, Permissions(service, "dataActions"));
        Assert.AreEqual(0, Permissions(device, "actions").Length + Permissions(service, "actions").Length,
            "data roles only");
        string[] assignerActions = Permissions(assigner, "actions");
        CollectionAssert.AreEquivalent(new[] { "Microsoft.Authorization/roleAssignments/read",
            "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete" },
            assignerActions);

        // EdgeKv's one assignment: the assigner role, under the constrain-roles condition naming exactly the two data
        // roles.
        JsonElement assignment = all.Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments").GetProperty("properties");
        StringAssert.Contains(assignment.GetProperty("roleDefinitionId").GetString(), "'edgekv-vault-role-assigner'");
        Assert.AreEqual("2.0", assignment.GetProperty("conditionVersion").GetString());
        JsonElement variables = arm.RootElement.GetProperty("variables");
        string Expression(JsonElement e) => e.GetString()!.TrimStart('[').TrimEnd(']');
        Assert.AreEqual($"format('{{0}}, {{1}}', {Expression(device.GetProperty("name"))}, {Expression(service.GetProperty("name"))})", Expression(variables.GetProperty("vaultRoleIds")),
            "the condition's set is the two data roles' ids, nothing else");
        string condition = ResolveFormat(Expression(assignment.GetProperty("condition")), variables, "DEVICE, SERVICE");
        Assert.AreEqual(ConstrainRoles("DEVICE, SERVICE"), condition);
        JsonElement outputs = arm.RootElement.GetProperty("outputs");
        Assert.AreEqual(device.GetProperty("name").GetString(),
            outputs.GetProperty("deviceRoleDefinitionId").GetProperty("value").GetString());
        Assert.AreEqual(service.GetProperty("name").GetString(),
            outputs.GetProperty("serviceRoleDefinitionId").GetProperty("value").GetString());

        // What the emulator's tests grant: the same role and the same condition, its role references left for the
        // emulator's ids.
        string bicep = File.ReadAllText(module);
        EdgeKv.Local.Emulator.InfraTemplateRoles.Grant read = EdgeKv.Local.Emulator.InfraTemplateRoles.Grants(bicep).Single();
        CollectionAssert.AreEquivalent(assignerActions, read.Actions.ToArray(),
            "the emulator grants what the module grants");
        Assert.AreEqual(ConstrainRoles("${deviceSecretAccessRole.name}, ${serviceSecretAccessRole.name}"),
            read.Condition);
        Assert.AreEqual(3, EdgeKv.Local.Emulator.InfraTemplateRoles.Definitions(bicep).Count);

        (code, output, error) = await BicepCli.RunAsync("build", Template, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument main = JsonDocument.Parse(output);
        JsonElement mainResources = main.RootElement.GetProperty("resources");
        List<JsonElement> mainAll = mainResources.ValueKind == JsonValueKind.Object ? [.. mainResources.EnumerateObject().Select(p => p.Value)] : [.. mainResources.EnumerateArray()];
        JsonElement deployment = mainAll.Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == "edgekv-vault-rbac-roles");
        StringAssert.Contains(deployment.GetProperty("condition").GetString(), "'Rbac'");
        JsonElement parameter = main.RootElement.GetProperty("parameters").GetProperty("vaultPermissionModel");
        Assert.AreEqual("AccessPolicies", parameter.GetProperty("defaultValue").GetString());
        Dictionary<string, string> settings = mainAll.Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig")
            .GetProperty("appSettings").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!,
                s => s.GetProperty("value").GetString()!);
        StringAssert.Contains(settings["EdgeKv__VaultRoles__DeviceRoleDefinitionId"], "outputs.deviceRoleDefinitionId");
        StringAssert.Contains(settings["EdgeKv__VaultRoles__ServiceRoleDefinitionId"],
            "outputs.serviceRoleDefinitionId");

        // With a fleet, the same conditioned right in each listed subscription, only in RBAC mode.
        JsonElement fleet = mainAll.Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
            && r.GetProperty("name").GetString()!.Contains("edgekv-vault-rbac-fleet-", StringComparison.Ordinal));
        StringAssert.Contains(fleet.GetProperty("condition").GetString(), "'Rbac'");
        StringAssert.Contains(fleet.GetProperty("copy").GetProperty("count").GetString(),
            "parameters('fleetSubscriptionIds')");
        string fleetModule = BicepCli.Template("vault-rbac-fleet-roles.bicep");
        (code, output, error) = await BicepCli.RunAsync("build", fleetModule, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument fleetArm = JsonDocument.Parse(output);
        JsonElement fleetResources = fleetArm.RootElement.GetProperty("resources");
        List<JsonElement> fleetAll = fleetResources.ValueKind == JsonValueKind.Object ? [.. fleetResources.EnumerateObject().Select(p => p.Value)] : [.. fleetResources.EnumerateArray()];
        CollectionAssert.AreEquivalent(assignerActions,
            Permissions(fleetAll.Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleDefinitions"), "actions"));
        Assert.AreEqual("2.0",
            fleetAll.Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments").GetProperty("properties").GetProperty("conditionVersion").GetString());
        EdgeKv.Local.Emulator.InfraTemplateRoles.Grant fleetRead = EdgeKv.Local.Emulator.InfraTemplateRoles.Grants(File.ReadAllText(fleetModule)).Single();
        Assert.AreEqual(ConstrainRoles("${deviceRoleDefinitionId}, ${serviceRoleDefinitionId}"), fleetRead.Condition);
    }

    /// <summary>
    /// Azure's documented "constrain roles" condition for role assignment writes and deletes, over a set of role ids.
    /// </summary>
    private static string ConstrainRoles(string ids) =>
        $"((!(ActionMatches{{'Microsoft.Authorization/roleAssignments/write'}})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{ids}}})) "
        + $"AND ((!(ActionMatches{{'Microsoft.Authorization/roleAssignments/delete'}})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{ids}}}))";

    /// <summary>
    /// The compiled condition, <c>variables('x')</c> holding <c>format('...', variables('vaultRoleIds'), ...)</c>:
    /// ARM's format string is .NET's composite format once its doubled quotes are single; each argument stands for the
    /// role set.
    /// </summary>
    private static string ResolveFormat(string expression, JsonElement variables, string roleSet)
    {
        var reference = System.Text.RegularExpressions.Regex.Match(expression, @"^variables\('(?<name>\w+)'\)$");
        string format = reference.Success ? variables.GetProperty(reference.Groups["name"].Value).GetString()!.TrimStart('[').TrimEnd(']') : expression;
        var call = System.Text.RegularExpressions.Regex.Match(format,
            @"^format\('(?<text>(?:[^']|'')*)',\s*(?<args>.*)\)$");
        Assert.IsTrue(call.Success, format);
        string[] args = [.. call.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries)];
        Assert.IsTrue(args.All(a => a == "variables('vaultRoleIds')"), $"every role set in the condition is vaultRoleIds: {call.Groups["args"].Value}");
        return string.Format(System.Globalization.CultureInfo.InvariantCulture,
            call.Groups["text"].Value.Replace("''", "'", StringComparison.Ordinal),
            [.. args.Select(_ => (object)roleSet)]);
    }

    [TestMethod]
    public async Task The_roles_the_tests_grant_in_the_emulator_are_the_templates_compiled_grants()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("build", Template, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        JsonElement resources = arm.RootElement.GetProperty("resources");
        List<JsonElement> all = resources.ValueKind == JsonValueKind.Object ? [.. resources.EnumerateObject().Select(p => p.Value)] : [.. resources.EnumerateArray()];
        JsonElement[] groupAssignments = [.. all.Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments" && !r.TryGetProperty("scope", out _))];
        JsonElement variables = arm.RootElement.GetProperty("variables");
        var compiledBuiltIns = groupAssignments.Select(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!)
            .Select(id => System.Text.RegularExpressions.Regex.Match(id,
                @"variables\('(?<v>\w+)'\)")).Where(m => m.Success)
            .Select(m => Guid.Parse(variables.GetProperty(m.Groups["v"].Value).GetString()!)).Order().ToArray();
        string[] compiledCustomActions = [.. all.Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleDefinitions")
            .GetProperty("properties").GetProperty("permissions")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)];

        IReadOnlyList<EdgeKv.Local.Emulator.InfraTemplateRoles.Grant> read = EdgeKv.Local.Emulator.InfraTemplateRoles.Grants(File.ReadAllText(Template));

        Assert.AreEqual(groupAssignments.Length, read.Count, "one grant read per role assignment on the group");
        CollectionAssert.AreEqual(compiledBuiltIns,
            read.Where(g => g.BuiltInRoleId is not null).Select(g => g.BuiltInRoleId!.Value).Order().ToArray());
        CollectionAssert.AreEquivalent(compiledCustomActions,
            read.Single(g => g.BuiltInRoleId is null).Actions.ToArray());
        IReadOnlyList<EdgeKv.Local.Emulator.InfraTemplateRoles.Grant> subscription =
            EdgeKv.Local.Emulator.InfraTemplateRoles.Grants(File.ReadAllText(BicepCli.Template("subscription-roles.bicep")));
        Assert.AreEqual(1, subscription.Count);
        Assert.IsTrue(subscription[0].Actions.Contains("Microsoft.KeyVault/deletedVaults/read"));
    }

    [TestMethod]
    public async Task The_template_deploys_the_functions_app_with_identity_based_storage_and_its_settings()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("build", Template, "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        JsonElement resources = arm.RootElement.GetProperty("resources");
        List<JsonElement> all = resources.ValueKind == JsonValueKind.Object ? [.. resources.EnumerateObject().Select(p => p.Value)] : [.. resources.EnumerateArray()];
        string Type(JsonElement r) => r.GetProperty("type").GetString()!;

        JsonElement app = all.Single(r => Type(r) == "Microsoft.Web/sites");
        Assert.AreEqual("functionapp,linux", app.GetProperty("kind").GetString());
        Assert.AreEqual("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString(),
            "the app runs as EdgeKv's identity, with its grants");
        JsonElement config = app.GetProperty("properties").GetProperty("siteConfig");
        Assert.AreEqual("DOTNET-ISOLATED|10.0", config.GetProperty("linuxFxVersion").GetString());
        Dictionary<string, string> settings = config.GetProperty("appSettings").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);
        Assert.AreEqual("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.AreEqual("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.IsTrue(settings.ContainsKey("AzureWebJobsStorage__accountName") && settings.ContainsKey("AzureWebJobsStorage__clientId"));
        Assert.IsFalse(settings.ContainsKey("AzureWebJobsStorage"), "no storage connection string for the host");
        Assert.AreEqual("Azure", settings["EdgeKv__Azure__Mode"]);
        Assert.AreEqual("[parameters('healthSweepSchedule')]", settings["HealthSweepSchedule"],
            "the app setting the HealthSweep timer function names");
        Assert.IsFalse(settings.Keys.Any(k => k.StartsWith("AzureFunctionsJobHost__extensions__durableTask",
            StringComparison.Ordinal)),
            "host.json's Durable settings are the ones Azure runs (its AzureStorage provider on the app's account), not overridden here");
        Assert.IsFalse(settings.ContainsKey("EdgeKv__TaskHub__StorageProvider"),
            "the local host's own hub setting means nothing to the Functions host");
        StringAssert.Contains(settings["EdgeKv__Azure__Cloud"], "environment()",
            "the cloud follows the deployment's own");
        StringAssert.Contains(settings["EdgeKv__AuditStorage__ImmutabilityDays"], "auditImmutabilityDays");
        StringAssert.Contains(settings["EdgeKv__AuditStorage__AllowSharedKeyAccess"], "auditAllowSharedKeyAccess");
        Assert.AreEqual(365, arm.RootElement.GetProperty("parameters").GetProperty("auditImmutabilityDays").GetProperty("defaultValue").GetInt32());
        Assert.IsFalse(arm.RootElement.GetProperty("parameters").GetProperty("auditAllowSharedKeyAccess").GetProperty("defaultValue").GetBoolean(), "secure first");
        foreach (string key in new[] { "EdgeKv__Azure__SubscriptionId", "EdgeKv__Azure__ResourceGroup",
            "EdgeKv__Azure__ServiceObjectId", "EdgeKv__Authentication__Audience", "EdgeKv__Authentication__ClientId",
            "EdgeKv__Authentication__Authority", "AZURE_CLIENT_ID" })
        {
            Assert.IsTrue(settings.ContainsKey(key), key);
        }

        // Telemetry: a workspace-based Application Insights, its connection string the app setting the worker exports
        // to.
        JsonElement insights = all.Single(r => Type(r) == "Microsoft.Insights/components");
        StringAssert.Contains(insights.GetProperty("properties").GetProperty("WorkspaceResourceId").GetString(),
            "Microsoft.OperationalInsights/workspaces",
            "workspace-based, not classic");
        Assert.AreEqual("LogAnalytics", insights.GetProperty("properties").GetProperty("IngestionMode").GetString());
        Assert.AreEqual(1, all.Count(r => Type(r) == "Microsoft.OperationalInsights/workspaces"));
        StringAssert.Contains(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], "Microsoft.Insights/components",
            "the app setting TelemetryServices reads");
        StringAssert.Contains(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], "ConnectionString");

        JsonElement plan = all.Single(r => Type(r) == "Microsoft.Web/serverfarms");
        Assert.AreEqual("ElasticPremium", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.AreEqual("[parameters('maximumInstances')]",
            plan.GetProperty("properties").GetProperty("maximumElasticWorkerCount").GetString(),
            "several instances share the stores");
        Assert.AreEqual("[parameters('maximumInstances')]", config.GetProperty("functionAppScaleLimit").GetString());
        Assert.AreEqual("AzureStorage", settings["EdgeKv__Store__Type"],
            "EdgeKv's own stores in the app's storage account, shared by every instance");
        StringAssert.Contains(settings["EdgeKv__Store__EndpointSuffix"], "environment()",
            "the storage suffix of the deployment's cloud");

        JsonElement storageRoles = all.Single(r => Type(r) == "Microsoft.Authorization/roleAssignments" && r.TryGetProperty("scope", out JsonElement scope) && scope.GetString()!.Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal));
        Assert.AreEqual(3, arm.RootElement.GetProperty("variables").GetProperty("storageDataRoleIds").GetArrayLength(),
            "blob, queue and table data roles on the app's own account only");
        StringAssert.Contains(storageRoles.GetProperty("properties").GetProperty("roleDefinitionId").GetString(),
            "storageDataRoleIds");
    }
}
