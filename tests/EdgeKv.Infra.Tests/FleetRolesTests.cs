using System.Text.Json;

namespace EdgeKv.Infra.Tests;

/// <summary>
/// A fleet beyond EdgeKv's own group: infra/fleet-roles.bicep (a subscription, deployed by main.bicep once per id in
/// fleetSubscriptionIds) and infra/fleet-roles-management-group.bicep grant EdgeKv's identity the very roles main.bicep
/// grants on the group and subscription-roles.bicep at the subscription (the same built-in roles, custom roles with the
/// same actions), at their own scope only, and nothing more: never Owner or User Access Administrator. With events on,
/// each fleet subscription's vault deletions and writes (any group) go to the webhook too (infra/fleet-events.bicep).
/// </summary>
[TestClass]
public sealed class FleetRolesTests
{
    private const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    private const string BlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

    public static IEnumerable<object[]> FleetTemplates => [["fleet-roles.bicep", "[subscription().id]"],
        ["fleet-roles-management-group.bicep", "[managementGroup().id]"]];

    [TestMethod]
    [DynamicData(nameof(FleetTemplates))]
    public async Task A_fleet_template_lints_clean_and_grants_the_groups_roles_at_its_own_scope_only(string file,
        string scope)
    {
        (int code, string output, string error) = await BicepCli.RunAsync("lint", BicepCli.Template(file));
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(string.Empty, (output + error).Trim(), "the linter reports nothing");

        List<JsonElement> fleet = await ResourcesAsync(file);
        List<JsonElement> main = await ResourcesAsync("main.bicep");
        List<JsonElement> subscription = await ResourcesAsync("subscription-roles.bicep");

        JsonElement[] definitions = [.. fleet.Where(r => Type(r) == "Microsoft.Authorization/roleDefinitions")];
        Assert.AreEqual(2, definitions.Length, "the lock operator and the subscription reader, nothing else");
        foreach (JsonElement definition in definitions)
        {
            JsonElement properties = definition.GetProperty("properties");
            CollectionAssert.AreEqual(new[] { scope },
                properties.GetProperty("assignableScopes").EnumerateArray().Select(s => s.GetString()).ToArray(),
                "assignable at its own scope only");
            Assert.AreEqual(0, properties.GetProperty("permissions")[0].GetProperty("notActions").GetArrayLength());
            Assert.IsFalse(properties.GetProperty("permissions")[0].TryGetProperty("dataActions", out _),
                "no data actions");
        }

        string[][] fleetActions = [.. definitions.Select(Actions).OrderBy(a => a[0], StringComparer.Ordinal)];
        string[][] groupActions = [.. main.Concat(subscription).Where(r => Type(r) == "Microsoft.Authorization/roleDefinitions").Select(Actions).OrderBy(a => a[0], StringComparer.Ordinal)];
        Assert.AreEqual(groupActions.Length, fleetActions.Length);
        for (int i = 0; i < groupActions.Length; i++) CollectionAssert.AreEquivalent(groupActions[i], fleetActions[i],
            "the same custom roles, only scoped wider");

        JsonElement[] assignments = [.. fleet.Where(r => Type(r) == "Microsoft.Authorization/roleAssignments")];
        Assert.AreEqual(4, assignments.Length,
            "Contributor, Storage Blob Data Reader, the lock operator and the subscription reader");
        Assert.IsTrue(assignments.All(a => !a.TryGetProperty("scope", out _)), "each at the template's own scope");
        string roles = string.Join(' ',
            assignments.Select(a => a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()));
        StringAssert.Contains(roles, "variables('contributorRoleId')");
        StringAssert.Contains(roles, "variables('blobDataReaderRoleId')");
        string compiled = string.Join('\n', fleet.Select(r => r.ToString()));
        Assert.IsFalse(compiled.Contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", StringComparison.OrdinalIgnoreCase),
            "never Owner");
        Assert.IsFalse(compiled.Contains("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", StringComparison.OrdinalIgnoreCase),
            "never User Access Administrator");
    }

    [TestMethod]
    public async Task Main_deploys_the_subscription_fleet_roles_once_per_listed_subscription_and_none_by_default()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("build", BicepCli.Template("main.bicep"),
            "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        Assert.AreEqual(0, arm.RootElement.GetProperty("parameters").GetProperty("fleetSubscriptionIds").GetProperty("defaultValue").GetArrayLength(), "one group unless told");
        JsonElement module = All(arm.RootElement.GetProperty("resources"))
            .Single(r => Type(r) == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString()!.Contains("edgekv-fleet-roles", StringComparison.Ordinal));
        StringAssert.Contains(module.GetProperty("copy").GetProperty("count").GetString(),
            "parameters('fleetSubscriptionIds')");
        StringAssert.Contains(module.GetProperty("subscriptionId").GetString(), "parameters('fleetSubscriptionIds')",
            "each module at its own subscription");
        Assert.IsFalse(module.TryGetProperty("resourceGroup", out _), "at the subscription, not a group in it");
        List<JsonElement> nested = All(module.GetProperty("properties").GetProperty("template").GetProperty("resources"));
        Assert.AreEqual(4, nested.Count(r => Type(r) == "Microsoft.Authorization/roleAssignments"));
    }

    [TestMethod]
    public async Task Main_subscribes_each_fleet_subscriptions_vault_events_with_the_key_read_at_deployment()
    {
        (int code, string output, string error) = await BicepCli.RunAsync("lint",
            BicepCli.Template("fleet-events.bicep"));
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(string.Empty, (output + error).Trim(), "the linter reports nothing");
        (code, output, error) = await BicepCli.RunAsync("build", BicepCli.Template("main.bicep"), "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        JsonElement module = All(arm.RootElement.GetProperty("resources"))
            .Single(r => Type(r) == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString()!.Contains("edgekv-fleet-events", StringComparison.Ordinal));
        StringAssert.Contains(module.GetProperty("condition").GetString(), "subscribeToVaultDeletions",
            "once the code answers Event Grid's handshake");
        StringAssert.Contains(module.GetProperty("copy").GetProperty("count").GetString(),
            "parameters('fleetSubscriptionIds')");
        StringAssert.Contains(module.GetProperty("subscriptionId").GetString(), "parameters('fleetSubscriptionIds')");
        JsonElement properties = module.GetProperty("properties");
        // The URL (with the key from listKeys) is computed at deployment, never a parameter of main.bicep.
        StringAssert.Contains(properties.GetProperty("parameters").GetProperty("webhookUrl").ToString(), "listKeys(");
        JsonElement template = properties.GetProperty("template");
        Assert.AreEqual("securestring",
            template.GetProperty("parameters").GetProperty("webhookUrl").GetProperty("type").GetString(),
            "the function key never shows in the deployment");
        JsonElement subscription = All(template.GetProperty("resources")).Single(r => Type(r) == "Microsoft.EventGrid/eventSubscriptions").GetProperty("properties");
        JsonElement filter = subscription.GetProperty("filter");
        CollectionAssert.AreEqual(new[] { "Microsoft.Resources.ResourceDeleteSuccess",
            "Microsoft.Resources.ResourceWriteSuccess" },
            filter.GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()).ToArray());
        JsonElement contains = filter.GetProperty("advancedFilters")[0];
        Assert.AreEqual("StringContains", contains.GetProperty("operatorType").GetString());
        Assert.AreEqual("subject", contains.GetProperty("key").GetString());
        Assert.AreEqual("/providers/Microsoft.KeyVault/vaults/", contains.GetProperty("values")[0].GetString());
    }

    [TestMethod]
    public void The_emulators_fleet_grants_are_read_from_the_subscription_template()
    {
        IReadOnlyList<EdgeKv.Local.Emulator.InfraTemplateRoles.Grant> grants =
            EdgeKv.Local.Emulator.InfraTemplateRoles.Grants(File.ReadAllText(BicepCli.Template("fleet-roles.bicep")));
        Assert.AreEqual(4, grants.Count);
        CollectionAssert.AreEquivalent(new[] { Guid.Parse(Contributor), Guid.Parse(BlobDataReader) },
            grants.Where(g => g.BuiltInRoleId is not null).Select(g => g.BuiltInRoleId!.Value).ToArray());
        Assert.IsTrue(grants.Any(g => g.Actions.Contains("Microsoft.Authorization/locks/write")));
        Assert.IsTrue(grants.Any(g => g.Actions.Contains("Microsoft.KeyVault/deletedVaults/read")));
    }

    private static string Type(JsonElement r) => r.GetProperty("type").GetString()!;

    private static string[] Actions(JsonElement definition) =>
        [.. definition.GetProperty("properties").GetProperty("permissions")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).Order(StringComparer.Ordinal)];

    private static List<JsonElement> All(JsonElement resources) =>
        resources.ValueKind == JsonValueKind.Object ? [.. resources.EnumerateObject().Select(p => p.Value.Clone())] : [.. resources.EnumerateArray().Select(r => r.Clone())];

    private static async Task<List<JsonElement>> ResourcesAsync(string file)
    {
        (int code, string output, string error) = await BicepCli.RunAsync("build", BicepCli.Template(file), "--stdout");
        Assert.AreEqual(0, code, error);
        using JsonDocument arm = JsonDocument.Parse(output);
        return All(arm.RootElement.GetProperty("resources"));
    }
}
