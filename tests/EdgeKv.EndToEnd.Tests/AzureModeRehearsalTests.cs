using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using EdgeKv.Azure;
using EdgeKv.Azure.EventGrid;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Emulator.Admin;
using EdgeKv.Emulator.Authorization;
using EdgeKv.Local.Emulator;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// Azure mode rehearsed: the emulator as a process of its own plays Azure (Resource Manager, Entra ID, Key Vault, Event
/// Grid, the App Service managed-identity endpoint), Azurite plays the app's storage account, and EdgeKv runs as a
/// process configured as infra/main.bicep configures the Functions app: the template's app settings read from the
/// template, its deployment's values put in (the emulator's ids and endpoints), signed in as the user-assigned identity
/// the template creates and attaches, holding exactly the roles the template grants it. README's flows then run through
/// it: activation with the device agent, a sweep, a vault deletion delivered by Event Grid and its recovery, key
/// distribution and rotation.
/// </summary>
[TestClass]
public sealed class AzureModeRehearsalTests
{
    private const string ResourceGroup = "edgekv-fleet";
    private const string Location = "westus2";

    /// <summary>
    /// Who deploys the template and looks at Azure afterwards: the emulator's Owner of the subscription.
    /// </summary>
    private static readonly EmulatorPrincipal Deployer = EmulatorPrincipals.CreateDefaults().First(p => p.Name == EmulatorPrincipals.EdgeKvService);

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task EdgeKv_in_Azure_mode_as_the_template_deploys_it_runs_READMEs_flows()
    {
        var elapsed = Stopwatch.StartNew();
        using AzuriteProcess azurite = await RequiredAzurite.StartAsync();
        using var emulatorData = new TempDirectory("az-emulator");
        using var hostData = new TempDirectory("az-host");
        using var deviceData = new TempDirectory("az-device");
        (IReadOnlyList<EmulatorRoleGrant> grants,
            IReadOnlyList<BuiltInRole> customRoles) = TemplateRolesInEmulator.Read(ResourceGroup);
        string customRolesFile = Path.Combine(emulatorData.Path, "..",
            Path.GetFileName(emulatorData.Path) + "-roles.json");
        await File.WriteAllTextAsync(customRolesFile,
            JsonSerializer.Serialize(customRoles, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        await using EmulatorProcess emulator = await EmulatorProcess.StartAsync(emulatorData.Path, "--lro-seconds", "2",
            "--custom-roles", customRolesFile,
            "--event-retry-ms", "500");
        using var admin = new EmulatorAdminClient(emulator.Endpoint, emulator.AdminKey, emulator.Thumbprint);

        // The deployment, as the template makes it: the identity, its roles, the key-encryption vault and key.
        EmulatorPrincipal deployer = Deployer;
        using EdgeKvAzureClientFactory arm = Factory(emulator, deployer);
        await arm.GetResourceGroupsClient().CreateOrUpdateAsync(ResourceGroup, Location);
        (string identityId, Guid principalId, Guid clientId) = await CreateIdentityAsync(arm, "edgekv");
        foreach (EmulatorRoleGrant grant in grants)
        {
            Guid role = (BuiltInRoles.All.Concat(customRoles).First(r => r.Name == grant.Role)).Id;
            await arm.GetRoleAssignmentsClient().CreateAsync($"/subscriptions/{emulator.SubscriptionId}/{grant.Scope}".TrimEnd('/'), role, principalId);
        }

        string kekVault = "edgekvkek" + Guid.NewGuid().ToString("N")[..12];
        VaultProperties kek = await arm.GetVaultsClient().CreateOrUpdateAsync(ResourceGroup, kekVault,
            new VaultDefinition(Location, emulator.TenantId,
        [
            new VaultAccessPolicy(emulator.TenantId, principalId.ToString(), [], ["get", "wrapKey", "unwrapKey"]),
            new VaultAccessPolicy(emulator.TenantId, deployer.ObjectId.ToString(), [], ["create"]),
            // the deployment creates the key
        ], SkuName: "premium", EnablePurgeProtection: true));
        await arm.CreateKeysClient(kek.VaultUri!).CreateRsaKeyAsync("edgekv-kek", 3072, ["wrapKey", "unwrapKey"],
            hardwareProtected: true);
        ManagedIdentityHostInfo site = await admin.PutIdentityHostAsync("edgekv-app",
            [identityId]); // the app's identity endpoint

        string certificateFile = Path.Combine(hostData.Path, "emulator-ca.pem");
        await File.WriteAllTextAsync(certificateFile, emulator.CertificatePem);
        string issuer = $"{emulator.Endpoint.AbsoluteUri}{emulator.TenantId}/v2.0";
        var deployment = new Dictionary<string, string>
        {
            ["storage.name"] = "devstoreaccount1",
            ["identity.properties.clientId"] = clientId.ToString(),
            ["identity.properties.principalId"] = principalId.ToString(),
            ["subscription().subscriptionId"] = emulator.SubscriptionId,
            ["resourceGroup().name"] = ResourceGroup,
            ["location"] = Location,
            ["authenticationAudience"] = "api://edgekv",
            ["authenticationClientId"] = "",
            ["authenticationAuthority"] = issuer,
            ["healthSweepSchedule"] = "0 0 0 1 1 *", // the template's parameter; sweeps here are started by the test
            ["string(auditAllowSharedKeyAccess)"] = "false",
                // the template's defaults, as bicep's string() renders them
            ["string(auditImmutabilityDays)"] = "365",
            ["vaultPermissionModel"] = "AccessPolicies", // the template's default
            ["vaultPermissionModel == 'Rbac' ? vaultRbacRoles!.outputs.deviceRoleDefinitionId : ''"] = "",
                // RBAC mode's roles: none with access policies
            ["vaultPermissionModel == 'Rbac' ? vaultRbacRoles!.outputs.serviceRoleDefinitionId : ''"] = "",
            ["environment().suffixes.storage"] = "core.windows.net",
            ["keyEncryptionVault.properties.vaultUri"] = kek.VaultUri!.AbsoluteUri,
            ["keyEncryptionKey.name"] = "edgekv-kek",
            // No Application Insights here: the empty setting exports nothing (the telemetry tests prove the exporter).
            ["appInsights.properties.ConnectionString"] = "",
            ["toLower(appName)"] = "edgekv-app",
            ["'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'"] = "",
            // environment() of a cloud that is none of the named ones: EdgeKv's Custom cloud, its endpoints below.
            ["environment().name == 'AzureCloud' ? 'AzurePublicCloud' : environment().name"] = AzureCloud.CustomName,
        };
        var environment = new Dictionary<string, string>();
        foreach ((string name,
            string value) in InfraAppSettings.Read(InfraTemplateRoles.Embedded(InfraTemplateRoles.MainTemplate),
                deployment))
        {
            // The content share settings are App Service's own (the plan's file share), not the worker's; the
            // identity-based storage settings name an account Azurite plays with a connection string, since Azurite
            // takes no Entra tokens.
            if (name.StartsWith("WEBSITE_CONTENT", StringComparison.Ordinal) || name.StartsWith("AzureWebJobsStorage__",
                StringComparison.Ordinal)) continue;
            environment[name] = value;
        }

        Assert.AreEqual("Azure", environment["EdgeKv__Azure__Mode"]);
        Assert.AreEqual("AzureStorage", environment["EdgeKv__Store__Type"]);
        Assert.AreEqual(clientId.ToString(), environment["AZURE_CLIENT_ID"]);
        environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        environment["EdgeKv__DataPath"] = Path.Combine(hostData.Path, "data"); // the template's /home/data/edgekv
        // What App Service gives every process of the site: its managed-identity endpoint.
        environment["IDENTITY_ENDPOINT"] = site.Endpoint.AbsoluteUri;
        environment["IDENTITY_HEADER"] = site.Header;
        // The cloud the emulator is, and trust of its certificate the way a Linux process trusts a private CA.
        environment["EdgeKv__Azure__CustomCloud__AuthorityHost"] = emulator.Endpoint.AbsoluteUri;
        environment["EdgeKv__Azure__CustomCloud__ResourceManagerEndpoint"] = emulator.Endpoint.AbsoluteUri;
        environment["EdgeKv__Azure__CustomCloud__ResourceManagerAudience"] = "https://management.azure.com";
        environment["EdgeKv__Azure__CustomCloud__KeyVaultSuffix"] = "vault.azure.net";
        environment["EdgeKv__Azure__CustomCloud__StorageSuffix"] = "core.windows.net";
        environment["EdgeKv__Azure__CustomCloud__BlobEndpointFormat"] = $"{emulator.Endpoint.AbsoluteUri}storage/{{account}}/blob/";
        environment["EdgeKv__Azure__CustomCloud__VerifyKeyVaultChallengeResource"] = "false"; // its vaults answer on 127.0.0.1
        environment["SSL_CERT_FILE"] = certificateFile;
        // The Event Grid webhook's key: in Azure the Functions host's; the local host takes it from this setting.
        environment["EdgeKv__Webhooks__EventGridKey"] = HealthFlows.EventGridKey;
        environment["EdgeKv__Activation__StoragePollInterval"] = "00:00:00.500";
        // In Azure the Durable extension runs host.json's provider, AzureStorage; the local host takes its own from
        // this app setting (SQLite by default), so it is told the same.
        environment["EdgeKv__TaskHub__StorageProvider"] = "AzureStorage";

        await using HostProcess host = await HostProcess.StartWithEnvironmentAsync(hostData.Path, environment);
        try
        {
            await RunFlowsAsync(host, emulator, admin, arm, deviceData.Path, principalId);
        }
        catch (Exception ex) when (ex is not AssertInconclusiveException)
        {
            throw new AssertFailedException($"{ex}\n--- host output ---\n{Tail(host.Output)}\n--- emulator output ---\n{Tail(emulator.Output)}", ex);
        }

        // The flows ran on the Azure Storage provider's task hub (host.json's hub name) and EdgeKv's shared stores, in
        // Azurite.
        string[] tables = [.. new global::Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).Query().Select(t => t.Name)];
        CollectionAssert.IsSubsetOf(new[] { "EdgeKvHubInstances", "EdgeKvHubHistory" }, tables,
            string.Join(", ", tables));
        Assert.IsTrue(tables.Any(t => t.StartsWith("EdgeKv", StringComparison.Ordinal) && !t.StartsWith("EdgeKvHub",
            StringComparison.Ordinal)), string.Join(", ", tables));
        Console.WriteLine($"Azure-mode rehearsal: {elapsed.Elapsed.TotalSeconds:0} s");
    }

    private static async Task RunFlowsAsync(HostProcess host, EmulatorProcess emulator, EmulatorAdminClient admin,
        EdgeKvAzureClientFactory arm,
        string deviceFolder, Guid edgeKvPrincipal)
    {
        string token = await admin.IssueTokenAsync(EmulatorPrincipals.SecurityTeam, "api://edgekv");
        using EdgeKvApi api = new EdgeKvApi(host.BaseAddress).UseToken(token);
        var device = new DeviceAgent(deviceFolder);

        // Activation, and the device agent: activate, push its secrets, read a customer secret.
        FlowResult flow = await ActivationFlow.RunAsync(api, device, "ase-az1", "customer-value-az1");
        Assert.AreEqual("customer-value-az1", flow.DecryptedCustomerSecret);
        VaultProperties vault = await arm.GetVaultsClient().GetAsync(ResourceGroup, flow.VaultName);
        JsonElement resource = await api.ResourceAsync("ase-az1");
        Guid devicePrincipal = Guid.Parse(resource.GetProperty("principalId").GetString()!);
        CollectionAssert.AreEquivalent(new[] { edgeKvPrincipal.ToString(), devicePrincipal.ToString() },
            vault.AccessPolicies.Select(p => p.ObjectId).ToArray(),
            "the vault holds EdgeKv's user-assigned identity and the device's identity, nothing else");
        Assert.AreEqual(0, (await admin.GetRequestsAsync(callerObjectId: devicePrincipal)).Count,
            "EdgeKv never signs in as the device's identity in Azure");
        Assert.IsTrue((await admin.GetRequestsAsync(method: "PUT", pathContains: "/vaults/" + flow.VaultName,
            callerObjectId: edgeKvPrincipal)).Count > 0);
        Assert.AreEqual(0, (await admin.GetRequestsAsync(status: 403,
            callerObjectId: edgeKvPrincipal)).Count(r => !r.Path.Contains("/msi/", StringComparison.Ordinal)),
            "the template's roles were enough for every call");

        // The sweep finds the fleet healthy.
        JsonElement sweep = await api.SweepAsync();
        Assert.AreEqual(0, sweep.GetProperty("activeFaults").GetInt32(), sweep.ToString());

        // Event Grid, subscribed as the template subscribes the webhook, reports the vault's deletion; recovery heals
        // it.
        EventSubscriptionsClient subscriptions = arm.GetEventSubscriptionsClient();
        var webhook = new Uri(host.BaseAddress,
            $"/api/eventgrid?functionName=VaultEvents&code={HealthFlows.EventGridKey}");
        await subscriptions.CreateOrUpdateWebhookAsync(subscriptions.Scope(ResourceGroup), "edgekv-vault-deletions",
            webhook,
            [EventSubscriptionsClient.ResourceDeleteSuccess, EventSubscriptionsClient.ResourceWriteSuccess]);
        await admin.DeleteResourceAsync(vault.Id);
        await WaitUntilAsync(async () => (await api.AlertsAsync("?resource=ase-az1&state=Active")).Active("VaultDeleted").Count == 1, "the VaultDeleted alert");
        using (HttpResponseMessage started = await api.Http.PostAsJsonAsync("/api/resources/ase-az1/recoverVault",
            new { }))
        {
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync());
            string statusUri = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusQueryGetUri").GetString()!;
            StringAssert.Contains(await device.RunOkAsync("sync", "--wait", "60"), "ChannelIntegrityKey");
            JsonElement recovered = await api.PollAsync(statusUri, TimeSpan.FromMinutes(5));
            Assert.AreEqual("Completed", recovered.GetProperty("runtimeStatus").GetString(), recovered.ToString());
            Assert.IsTrue(recovered.GetProperty("output").GetProperty("healed").GetBoolean(), recovered.ToString());
        }

        await WaitUntilAsync(async () => (await api.AlertsAsync("?resource=ase-az1&state=Active")).Count == 0,
            "every alert resolved after recovery");

        // The device's identity grant widened behind EdgeKv's back: EdgeKv cannot sign in as that identity here, so it
        // proves the grant before each of the device's vault calls; the widened grant is refused and alerted, and the
        // identity-access recovery cuts it back to Get and Set, after which the device's calls work again.
        await arm.GetVaultsClient().UpdateAccessPoliciesAsync(ResourceGroup, flow.VaultName,
            AccessPolicyUpdateKind.Replace,
            [new VaultAccessPolicy(emulator.TenantId, devicePrincipal.ToString(), ["get", "set", "list", "delete"])]);
        (int refusedExit, _, _) = await device.RunAsync("push-secrets");
        Assert.AreNotEqual(0, refusedExit, "a device call on a grant that is not exactly Get and Set is refused");
        Assert.AreEqual(1, (await api.AlertsAsync("?resource=ase-az1&state=Active")).Active("IdentityAccessMissing").Count);
        JsonElement regranted = await api.HealAsync("/api/resources/ase-az1/recoverIdentityAccess");
        Assert.AreEqual("Completed", regranted.GetProperty("runtimeStatus").GetString(), regranted.ToString());
        await device.RunOkAsync("push-secrets");

        // Key management: a KMS provider (a vault in the group, a service principal's credentials), a key distributed
        // to it through the key-encryption key the template made, then rotated there.
        EmulatorPrincipal provider = EmulatorPrincipals.CreateDefaults().First(p => p.Name == EmulatorPrincipals.Reader);
        await arm.GetVaultsClient().CreateOrUpdateAsync(ResourceGroup, "az-kms-vault",
            new VaultDefinition(Location, emulator.TenantId,
        [
            new VaultAccessPolicy(emulator.TenantId, provider.ObjectId.ToString(), [],
                ["get", "list", "create", "import", "update", "delete", "recover"]),
            new VaultAccessPolicy(emulator.TenantId, edgeKvPrincipal.ToString(), [], ["get", "list"]),
            new VaultAccessPolicy(emulator.TenantId, Deployer.ObjectId.ToString(), [], ["list"]), // the test looks
        ]));
        await SendOkAsync(api, HttpMethod.Put, "/api/kms/az-kms", new
        {
            provider = "azurekeyvault", keyCollection = "az-kms-vault",
            credentials = new { clientId = provider.ClientId.ToString(), clientSecret = provider.ClientSecret,
                tenantId = emulator.TenantId.ToString() },
        });
        await SendOkAsync(api, HttpMethod.Put, "/api/keys/az-key", new { type = "rsa-2048" });
        await CompleteFlowAsync(api, HttpMethod.Put, "/api/kms/az-kms/keys/az-key",
            new { purpose = "encrypt", protection = "software" });
        await CompleteFlowAsync(api, HttpMethod.Post, "/api/keys/az-key/rotate", null);
        VaultProperties kms = await arm.GetVaultsClient().GetAsync(ResourceGroup, "az-kms-vault");
        Assert.AreEqual(2, (await arm.CreateKeysClient(kms.VaultUri!).GetPropertiesOfKeyVersionsAsync("az-key")).Count,
            "the rotation reached the vault");
    }

    private static async Task SendOkAsync(EdgeKvApi api, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using HttpResponseMessage response = await api.Http.SendAsync(request);
        Assert.IsTrue(response.IsSuccessStatusCode,
            $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task CompleteFlowAsync(EdgeKvApi api, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method,
            path) { Content = body is null ? null : JsonContent.Create(body) };
        using HttpResponseMessage response = await api.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, $"{method} {path}: {text}");
        JsonElement final = await api.PollAsync(JsonDocument.Parse(text).RootElement.GetProperty("statusQueryGetUri").GetString()!, TimeSpan.FromMinutes(5));
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString(), final.ToString());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (DateTime until = DateTime.UtcNow.AddMinutes(5); !await condition(); await Task.Delay(250))
        {
            if (DateTime.UtcNow > until) Assert.Fail($"{what}: not within 90 s");
        }
    }

    /// <summary>
    /// A user-assigned identity created through Resource Manager, as the template's <c>identity</c> resource.
    /// </summary>
    private static async Task<(string Id, Guid PrincipalId,
        Guid ClientId)> CreateIdentityAsync(EdgeKvAzureClientFactory factory, string name)
    {
        var id = new ResourceIdentifier($"/subscriptions/{factory.Options.SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}");
        GenericResource created = (await factory.ArmClient.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id, new GenericResourceData(new AzureLocation(Location)))).Value;
        Dictionary<string, string> properties = created.Data.Properties.ToObjectFromJson<Dictionary<string, string>>()!;
        return (created.Id.ToString(), Guid.Parse(properties["principalId"]), Guid.Parse(properties["clientId"]));
    }

    /// <summary>
    /// An operator's client on the emulator (the deployment's side), trusting its certificate by thumbprint.
    /// </summary>
    private static EdgeKvAzureClientFactory Factory(EmulatorProcess emulator,
        EmulatorPrincipal principal) => new(new EdgeKvAzureOptions
    {
        Mode = AzureMode.Emulator,
        SubscriptionId = emulator.SubscriptionId,
        TenantId = emulator.TenantId,
        EmulatorEndpoint = emulator.Endpoint,
        EmulatorCertificateThumbprint = emulator.Thumbprint,
        ClientId = principal.ClientId.ToString(),
        ClientSecret = principal.ClientSecret,
        DefaultLocation = Location,
    });

    private static string Tail(string text) => text.Length <= 20_000 ? text : text[^20_000..];
}
