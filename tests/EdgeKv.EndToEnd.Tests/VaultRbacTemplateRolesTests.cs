using Azure;
using EdgeKv.Activities;
using EdgeKv.Azure;
using EdgeKv.Azure.Authorization;
using EdgeKv.Emulator;
using EdgeKv.Local.Emulator;
using EdgeKv.Tests.Support;

namespace EdgeKv.EndToEnd.Tests;

/// <summary>
/// The emulator granted what infra grants EdgeKv in RBAC mode with a fleet (<see cref="TemplateRolesInEmulator"/>,
/// conditions carried through): in its group and in another subscription of the fleet, EdgeKv's principal assigns the
/// two vault data roles and gets 403 for Owner, and cannot write a role definition.
/// </summary>
[TestClass]
public sealed class VaultRbacTemplateRolesTests
{
    private const string Group = "rg-rbac-template";
    private const string FleetSubscription = "6c0f7a1e-3b2d-4e5f-8a9b-0c1d2e3f4a5b";

    [TestMethod]
    public async Task EdgeKvs_principal_assigns_only_its_two_vault_roles_in_its_group_and_in_a_fleet_subscription()
    {
        using var data = new TempDirectory("rbac-template-emulator");
        await using RunningEmulator emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            DataFolder = data.Path, LongRunningOperationDuration = TimeSpan.Zero, RetryAfter = TimeSpan.Zero,
                AdditionalSubscriptions = [FleetSubscription],
        }.WithTemplateRoles(Group, fleet: true, vaultRbac: true));
        EmulatorPrincipal service = emulator.GetPrincipal(EmulatorPrincipals.EdgeKvService);
        using var factory = new EdgeKvAzureClientFactory(new EdgeKvAzureOptions
        {
            Mode = AzureMode.Emulator, SubscriptionId = emulator.SubscriptionId, TenantId = emulator.TenantId,
                EmulatorEndpoint = emulator.Endpoint,
            EmulatorCertificateThumbprint = emulator.CertificateThumbprint, ClientId = service.ClientId.ToString(),
            ClientSecret = service.ClientSecret, MaxRetries = 0,
        });
        VaultRoleIds roles = TemplateRolesInEmulator.VaultDataRoleIds();
        Guid device = emulator.GetPrincipal(EmulatorPrincipals.Contributor).ObjectId;

        foreach (string scope in new[] { $"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{Group}",
            $"/subscriptions/{FleetSubscription}" })
        {
            RoleAssignmentsClient assignments = factory.GetRoleAssignmentsClient();
            RoleAssignment granted = await assignments.CreateAsync(scope, roles.Device, device);
            await assignments.CreateAsync(scope, roles.Service, service.ObjectId);
            RequestFailedException owner = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => assignments.CreateAsync(scope, AzureBuiltInRoles.Owner, service.ObjectId));
            Assert.AreEqual(403, owner.Status, scope);
            Assert.AreEqual("AuthorizationFailed", owner.ErrorCode, scope);
            await assignments.DeleteAsync(granted.Id);
            RequestFailedException defined = await Assert.ThrowsExactlyAsync<RequestFailedException>(() => factory.GetRoleDefinitionsClient()
                .CreateOrUpdateCustomAsync(scope, Guid.NewGuid(), $"escalation {Guid.NewGuid():N}", "everything",
                    [scope], ["*"], []));
            Assert.AreEqual(403, defined.Status, scope);
        }
    }
}
