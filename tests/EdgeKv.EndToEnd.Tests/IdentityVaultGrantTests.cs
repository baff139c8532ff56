using EdgeKv.Activities;
using EdgeKv.Azure;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Records;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// What EdgeKv proves in Azure instead of signing in as a device's system-assigned identity: the identity on and the
/// one recorded, exactly Get and Set on secrets for it (an access policy, or EdgeKv's device role on a vault on Azure
/// RBAC). Each way the grant can be wrong, made through Resource Manager against the emulator, is found and named.
/// </summary>
[TestClass]
public sealed class IdentityVaultGrantTests
{
    private const string Group = "grants";
    private static RunningEmulator emulator = null!;
    private static TempDirectory data = null!;
    private static EdgeKvAzureClientFactory factory = null!;
    private static AzureContext azure = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        data = new TempDirectory("grant-emulator");
        // The vault data roles infra defines in RBAC mode, seeded as a deployment would leave them.
        emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            DataFolder = data.Path, LongRunningOperationDuration = TimeSpan.Zero, RetryAfter = TimeSpan.Zero,
                CustomRoles = [.. EdgeKv.Local.Emulator.TemplateRolesInEmulator.VaultDataRoles()],
        });
        EmulatorPrincipal service = emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService);
        factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator, SubscriptionId = emulator.SubscriptionId, TenantId = emulator.TenantId,
                EmulatorEndpoint = emulator.Endpoint,
            EmulatorCertificateThumbprint = emulator.CertificateThumbprint, ClientId = service.ClientId.ToString(),
            ClientSecret = service.ClientSecret,
        });
        await factory.GetResourceGroupsClient().CreateOrUpdateAsync(Group, emulator.DefaultLocation);
        azure = new AzureContext(factory, Group, emulator.DefaultLocation, service.ObjectId, identityCredential: null,
            // as in Azure
            EdgeKv.Local.Emulator.TemplateRolesInEmulator.VaultDataRoleIds());
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        factory.Dispose();
        await emulator.DisposeAsync();
        data.Dispose();
    }

    [TestMethod]
    public async Task Exactly_Get_and_Set_for_the_recorded_identity_is_proven()
    {
        (ResourceRecord record, _) = await ProvisionAsync("ok",
            (tenant, principal) => [Grant(tenant, principal, ["Get", "set"])]);

        Assert.IsNull(await IdentityVaultGrant.CheckAsync(azure, record, default));
        Assert.IsFalse(azure.ActsAsResourceIdentity);
    }

    [TestMethod]
    public async Task A_missing_entry_is_IdentityAccessMissing()
    {
        (ResourceRecord record, _) = await ProvisionAsync("none", (_, _) => []);

        Assert.AreEqual("IdentityAccessMissing", (await IdentityVaultGrant.CheckAsync(azure, record, default))?.Code);
    }

    [TestMethod]
    [DataRow("widened", new[] { "get", "set", "list" }, null, false)]
    [DataRow("narrowed", new[] { "get" }, null, false)]
    [DataRow("keys", new[] { "get", "set" }, new[] { "get" }, false)]
    [DataRow("tenant", new[] { "get", "set" }, null, true)]
    public async Task An_entry_that_is_not_exactly_the_grant_is_IdentityAccessNotAsGranted(string name,
        string[] secrets, string[]? keys, bool otherTenant)
    {
        (ResourceRecord record, _) = await ProvisionAsync(name, (tenant, principal) =>
            [new VaultAccessPolicy(otherTenant ? Guid.NewGuid() : tenant, principal.ToString(), secrets, keys)]);

        Assert.AreEqual("IdentityAccessNotAsGranted",
            (await IdentityVaultGrant.CheckAsync(azure, record, default))?.Code);
    }

    [TestMethod]
    public async Task An_identity_turned_off_or_replaced_by_another_principal_is_found()
    {
        (ResourceRecord off, _) = await ProvisionAsync("off",
            (tenant, principal) => [Grant(tenant, principal, ["get", "set"])]);
        await factory.GetEdgeDevicesClient().SetIdentityEnabledAsync(Group, off.Name, false);
        Assert.AreEqual("SystemAssignedIdentityMissing",
            (await IdentityVaultGrant.CheckAsync(azure, off, default))?.Code);

        (ResourceRecord other, _) = await ProvisionAsync("other",
            (tenant, principal) => [Grant(tenant, principal, ["get", "set"])]);
        Assert.AreEqual("IdentityChanged",
            (await IdentityVaultGrant.CheckAsync(azure, other with { PrincipalId = Guid.NewGuid() }, default))?.Code);
    }

    [TestMethod]
    public async Task A_vault_on_Azure_RBAC_ignores_the_access_policy_and_needs_EdgeKvs_device_role_at_the_vault_and_nothing_more()
    {
        (ResourceRecord record, VaultProperties vault) = await ProvisionAsync("rbac",
            (tenant, principal) => [Grant(tenant, principal, ["get", "set"])], rbac: true);
        Assert.AreEqual("IdentityAccessMissing", (await IdentityVaultGrant.CheckAsync(azure, record, default))?.Code,
            "the access policy does not count");

        await VaultRoleGrants.GrantDeviceAsync(azure, vault.Id, record.PrincipalId!.Value, default);
        await VaultRoleGrants.GrantDeviceAsync(azure, vault.Id, record.PrincipalId!.Value, default); // idempotent
        Assert.IsNull(await IdentityVaultGrant.CheckAsync(azure, record, default));
        EdgeKv.Azure.Authorization.RoleDefinition role = (await factory.GetRoleDefinitionsClient().GetAsync(vault.Id,
            azure.VaultRoles.Device))!;
        CollectionAssert.AreEquivalent(new[] { "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/setSecret/action" }, role.DataActions.ToArray());
        Assert.AreEqual(0, role.Actions.Count);

        await factory.GetRoleAssignmentsClient().CreateAsync(vault.Id,
            EdgeKv.Azure.Authorization.AzureBuiltInRoles.KeyVaultSecretsOfficer, record.PrincipalId!.Value);
        Assert.AreEqual("IdentityAccessNotAsGranted",
            (await IdentityVaultGrant.CheckAsync(azure, record, default))?.Code, "a wider role reaches the vault");
    }

    [TestMethod]
    public async Task Activations_last_step_issues_the_key_on_the_proven_grant_and_refuses_a_tampered_one_issuing_nothing()
    {
        using var storeFolder = new TempDirectory("grant-store");
        using var store = new ResourceStore(new ResourceStoreOptions(Path.Combine(storeFolder.Path, "EdgeKv.db")),
            TimeProvider.System);
        var provider = new AzureContextProvider();
        provider.Set(azure);
        var activity = new EdgeKv.Activities.Activation.IssueActivationKeyActivity(provider, store,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EdgeKv.Activities.Activation.IssueActivationKeyActivity>.Instance);
        Guid service = emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId;
        DateTimeOffset expires = DateTimeOffset.UtcNow.AddDays(3);

        foreach ((string name, string[] secrets,
            string? refusal) in new[] { ("issued", new[] { "get", "set" }, (string?)null),
                ("tampered", ["get", "set", "list"], "IdentityAccessNotAsGranted") })
        {
            (ResourceRecord record, VaultProperties vault) = await ProvisionAsync(name, (tenant, principal) =>
                [Grant(tenant, principal, secrets), Grant(tenant, service, ["get", "set"])]);
            string cikVersion = (await factory.CreateSecretClient(vault.VaultUri!).SetSecretAsync("ChannelIntegrityKey",
                "not-a-real-cik")).Value.Properties.Version;
            Assert.IsTrue(await store.TryAddAsync(record with { CikSecretName = "ChannelIntegrityKey",
                CikSecretVersion = cikVersion }));
            var request = new EdgeKv.Activities.Activation.IssueKeyRequest(record.Name, "key-" + name, expires,
                "https://edgekv.example/");

            if (refusal is null)
            {
                Assert.AreEqual(expires, await activity.RunAsync(new ActivityContext(), request));
                Assert.AreEqual("key-issued", (await store.GetAsync(record.Name))!.ActivationKeyId);
            }
            else
            {
                ActivationRefusedException refused = await Assert.ThrowsExactlyAsync<ActivationRefusedException>(() => activity.RunAsync(new ActivityContext(), request));
                Assert.AreEqual(refusal, refused.Code);
                Assert.IsNull((await store.GetAsync(record.Name))!.ActivationKeyId,
                    "no activation key without the proven grant");
            }
        }
    }

    private static VaultAccessPolicy Grant(Guid tenant, Guid principal, string[] secrets) => new(tenant,
        principal.ToString(), secrets);

    /// <summary>
    /// A device with its identity and a vault whose access policies <paramref name="policies"/> makes, as EdgeKv
    /// records them.
    /// </summary>
    private static async Task<(ResourceRecord Record, VaultProperties Vault)> ProvisionAsync(string name,
        Func<Guid, Guid, VaultAccessPolicy[]> policies, bool rbac = false)
    {
        EdgeDevice device = await factory.GetEdgeDevicesClient().CreateAsync(Group, "ase-" + name,
            emulator.DefaultLocation);
        Guid principal = device.PrincipalId!.Value;
        string vaultName = "grant-" + name + "-" + Guid.NewGuid().ToString("N")[..6];
        VaultProperties vault = await factory.GetVaultsClient().CreateOrUpdateAsync(Group, vaultName,
            new VaultDefinition(emulator.DefaultLocation, emulator.TenantId,
                policies(emulator.TenantId, principal)) { EnableRbacAuthorization = rbac });
        var record = new ResourceRecord
        {
            Name = device.Name, ResourceId = device.Id, ResourceGroup = Group, Location = device.Location,
                PrincipalId = principal,
            TenantId = device.TenantId, VaultName = vault.Name, VaultId = vault.Id,
            VaultUri = vault.VaultUri?.AbsoluteUri,
        };
        return (record, vault);
    }

    /// <summary>
    /// What the Durable Task worker hands an activity: its name, its orchestration's id and the cancellation token.
    /// </summary>
    private sealed class ActivityContext : Microsoft.DurableTask.TaskActivityContext
    {
        public override Microsoft.DurableTask.TaskName Name => EdgeKv.Activities.Activation.IssueActivationKeyActivity.Name;

        public override string InstanceId => "activation-test";
    }
}
