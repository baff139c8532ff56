using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Security.KeyVault.Secrets;
using EdgeKv.Activities;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// EdgeKv with <c>EdgeKv:VaultPermissionModel = Rbac</c> and the privileges infra grants in that mode: activation
/// creates an RBAC vault with no access policy and EdgeKv's two roles assigned at the vault; the device activates and
/// pushes its secrets with its own identity's token, which the emulator authorizes by those roles. EdgeKv's identity
/// can assign those two roles and nothing else (no Owner, no Key Vault role, no role definition of its own); one of
/// them assigned out of band at the vault is drift that a sweep raises and the security team removes through EdgeKv,
/// and the device's assignment removed is missing access that recoverIdentityAccess puts back.
/// </summary>
[TestClass]
public sealed class RbacModeTests
{
    private const string Resource = "ase-rbac1";

    [TestMethod]
    public async Task An_RBAC_mode_activation_serves_the_device_by_role_and_a_sweep_finds_an_out_of_band_role_assignment()
    {
        using var sink = new NotificationSink();
        using var deviceData = new TempDirectory("e2e-rbac-device");
        var device = new DeviceAgent(deviceData.Path);
        await using InProcessHost host = await InProcessHost.StartAsync([.. HealthFlows.HostArgs(sink),
            "--EdgeKv:VaultPermissionModel", "Rbac"]);
        EdgeKvApi api = host.Api;

        FlowResult flow = await ActivationFlow.RunAsync(api, device, Resource, "customer-value-rbac1");

        Assert.AreEqual("customer-value-rbac1", flow.DecryptedCustomerSecret,
            "the device decrypted the customer secret with its CIK");
        VaultProperties vault = await host.Factory.GetVaultsClient().GetAsync(ProvisionedState.ResourceGroup,
            flow.VaultName);
        EdgeDevice resource = await host.Factory.GetEdgeDevicesClient().GetAsync(ProvisionedState.ResourceGroup,
            Resource);
        Guid service = host.Emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService).ObjectId;
        VaultRoleIds roles = EdgeKv.Local.Emulator.TemplateRolesInEmulator.VaultDataRoleIds();
        Assert.IsTrue(vault.EnableRbacAuthorization);
        Assert.AreEqual(0, vault.AccessPolicies.Count, "no access policy on an RBAC vault");
        IReadOnlyList<RoleAssignment> onVault = await AssignmentsOnVaultAsync(host, vault);
        Assert.AreEqual(2, onVault.Count,
            string.Join(", ", onVault.Select(a => $"{a.PrincipalId}:{a.RoleDefinitionId}")));
        Assert.IsTrue(onVault.Any(a => a.PrincipalId == resource.PrincipalId && IdentityVaultGrant.RoleIdOf(a) == roles.Device));
        Assert.IsTrue(onVault.Any(a => a.PrincipalId == service && IdentityVaultGrant.RoleIdOf(a) == roles.Service));
        RoleDefinition deviceRole = (await host.Factory.GetRoleDefinitionsClient().GetAsync(vault.Id, roles.Device))!;
        CollectionAssert.AreEquivalent(new[] { "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/setSecret/action" },
            deviceRole.DataActions.ToArray());
        StringAssert.StartsWith(deviceRole.RoleName, "EdgeKv device secret access");

        SecretClient asEdgeKv = host.Factory.CreateSecretClient(vault.VaultUri!);
        var names = new List<string>();
        await foreach (SecretProperties p in asEdgeKv.GetPropertiesOfSecretsAsync()) names.Add(p.Name);
        CollectionAssert.IsSubsetOf(new[] { "ChannelIntegrityKey", "BitLockerRecoveryKey", "BmcUserPassword" }, names,
            "the device pushed its secrets");
        RequestFailedException refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => host.Contributor.CreateSecretClient(vault.VaultUri!).GetSecretAsync("BmcUserPassword"));
        Assert.AreEqual(403, refused.Status, "a subscription Contributor holds no data action");
        StringAssert.Contains(refused.Message, "ForbiddenByRbac");
        await host.Emulator.Admin.ClearRequestsAsync();
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32(),
            "a healthy RBAC vault raises nothing");
        IReadOnlyList<EdgeKv.Emulator.Admin.RequestLogEntry> authorizationReads = [.. (await host.Emulator.Admin.GetRequestsAsync("GET", "/providers/Microsoft.Authorization/role"))];
        Assert.AreEqual(1, authorizationReads.Count(r => r.Path.Contains("/roleAssignments",
            StringComparison.OrdinalIgnoreCase)), "one role-assignment list per RBAC vault per sweep");
        Assert.IsTrue(authorizationReads.Count(r => r.Path.Contains("/roleDefinitions",
            StringComparison.OrdinalIgnoreCase)) <= 2, "EdgeKv's two roles read once, not per vault");
        JsonElement diagnostics = await api.Http.GetFromJsonAsync<JsonElement>($"/api/resources/{Resource}/security/diagnostics");
        Assert.AreEqual("Rbac", diagnostics.GetProperty("vaultPermissionModel").GetString(),
            "the Security page shows the vault's permission model");

        // EdgeKv's identity (or whoever holds it) cannot escalate: no other role assigned, no role defined.
        Guid intruder = host.Emulator.GetPrincipal(EmulatorPrincipals.Contributor).ObjectId;
        RequestFailedException officer = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => host.Factory.GetRoleAssignmentsClient().CreateAsync(vault.Id,
                AzureBuiltInRoles.KeyVaultSecretsOfficer, intruder));
        Assert.AreEqual(403, officer.Status);
        Assert.AreEqual("AuthorizationFailed", officer.ErrorCode);
        string group = $"/subscriptions/{host.Emulator.SubscriptionId}/resourceGroups/{ProvisionedState.ResourceGroup}";
        RequestFailedException owner = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => host.Factory.GetRoleAssignmentsClient().CreateAsync(group, AzureBuiltInRoles.Owner, service));
        Assert.AreEqual(403, owner.Status);
        RequestFailedException defined = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => host.Factory.GetRoleDefinitionsClient()
            .CreateOrUpdateCustomAsync(group, Guid.NewGuid(), "escalation attempt", "everything", [group], ["*"], []));
        Assert.AreEqual(403, defined.Status);

        // Out of band, with EdgeKv's own rights, the device role goes to the contributor on the vault.
        await host.Factory.GetRoleAssignmentsClient().CreateAsync(vault.Id, roles.Device, intruder);
        await api.SweepAsync();

        IReadOnlyList<JsonElement> drift = (await api.AlertsAsync($"?resource={Resource}&state=Active")).Active("RoleAssignmentNotGrantedByEdgeKv");
        Assert.AreEqual(1, drift.Count, "the sweep found the assignment");
        StringAssert.Contains(drift[0].GetProperty("finding").GetString(), intruder.ToString());
        Assert.AreEqual(intruder.ToString(), drift[0].GetProperty("principal").GetString(),
            "the alert is about the assignment's principal");

        // The device's own assignment removed: missing access, which recoverIdentityAccess grants again.
        RoleAssignment deviceAssignment = (await AssignmentsOnVaultAsync(host,
            vault)).Single(a => a.PrincipalId == resource.PrincipalId);
        await host.Factory.GetRoleAssignmentsClient().DeleteAsync(deviceAssignment.Id);
        await api.SweepAsync();
        Assert.AreEqual(1, (await api.AlertsAsync($"?resource={Resource}&state=Active")).Active("IdentityAccessMissing").Count);

        JsonElement healed = await api.HealAsync($"/api/resources/{Resource}/recoverIdentityAccess");

        Assert.AreEqual("Completed", healed.GetProperty("runtimeStatus").GetString(), healed.ToString());
        Assert.IsTrue((await AssignmentsOnVaultAsync(host,
            vault)).Any(a => a.PrincipalId == resource.PrincipalId && a.Name == deviceAssignment.Name),
            "the same deterministic assignment is back");
        await api.SweepAsync();
        Assert.AreEqual(0, (await api.AlertsAsync($"?resource={Resource}&state=Active")).Active("IdentityAccessMissing").Count);
        Assert.AreEqual(1, (await api.AlertsAsync($"?resource={Resource}&state=Active")).Active("RoleAssignmentNotGrantedByEdgeKv").Count, "the foreign one stays until removed");
        await device.RunOkAsync("push-secrets");

        // The security team removes the foreign assignment through EdgeKv; EdgeKv's own are refused.
        RoleAssignment foreign = (await AssignmentsOnVaultAsync(host, vault)).Single(a => a.PrincipalId == intruder);
        using (HttpResponseMessage own = await api.Http.PostAsync($"/api/resources/{Resource}/vaultRoleAssignments/{deviceAssignment.Name}/remove", null))
        {
            Assert.AreEqual(System.Net.HttpStatusCode.Conflict, own.StatusCode, await own.Content.ReadAsStringAsync());
        }

        JsonElement removed = await api.HealAsync($"/api/resources/{Resource}/vaultRoleAssignments/{foreign.Name}/remove");

        Assert.AreEqual("Completed", removed.GetProperty("runtimeStatus").GetString(), removed.ToString());
        Assert.IsFalse((await AssignmentsOnVaultAsync(host, vault)).Any(a => a.PrincipalId == intruder),
            "the assignment is gone");
        Assert.AreEqual(0, (await api.AlertsAsync($"?resource={Resource}&state=Active")).Active("RoleAssignmentNotGrantedByEdgeKv").Count, "resolved by the heal");
        Assert.AreEqual(0, (await api.SweepAsync()).GetProperty("activeFaults").GetInt32());
    }

    private static async Task<IReadOnlyList<RoleAssignment>> AssignmentsOnVaultAsync(InProcessHost host,
        VaultProperties vault) =>
        [.. (await host.Factory.GetRoleAssignmentsClient().ListAsync(vault.Id)).Where(a => string.Equals(a.Scope,
            vault.Id, StringComparison.OrdinalIgnoreCase))];
}
