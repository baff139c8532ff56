using Azure;
using EdgeKv.Azure.Authorization;
using EdgeKv.Azure.Edge;
using EdgeKv.Azure.Locks;
using EdgeKv.Azure.Storage;
using EdgeKv.Azure.Vaults;
using EdgeKv.Emulator;

namespace EdgeKv.Azure.Tests;

/// <summary>
/// The lists the health sweep reads per subscription, served by the emulator as Resource Manager does: devices, vaults,
/// storage accounts and locks of every resource group in one list each, and a principal whose roles are on one group
/// refused the subscription's lists (403) but served its group's. A private emulator: the test grants a role.
/// </summary>
[TestClass]
public sealed class FleetListsTests
{
    [TestMethod]
    public async Task Subscription_lists_cover_every_group_and_a_principal_with_group_roles_gets_403_there_and_its_group_listed()
    {
        RunningEmulator emulator = await TestEmulator.StartAsync();
        try
        {
            using EdgeKvAzureClientFactory owner = TestEmulator.Factory(emulator);
            string[] groups = [TestEmulator.UniqueName("rg-fleet-a-"), TestEmulator.UniqueName("rg-fleet-b-")];
            var vaultIds = new List<string>();
            var deviceIds = new List<string>();
            var accountIds = new List<string>();
            foreach (string group in groups)
            {
                await owner.GetResourceGroupsClient().CreateOrUpdateAsync(group, emulator.DefaultLocation);
                EdgeDevice device = await owner.GetEdgeDevicesClient().CreateAsync(group, "ase-same-name",
                    emulator.DefaultLocation);
                VaultProperties vault = await owner.GetVaultsClient().CreateOrUpdateAsync(group,
                    TestEmulator.UniqueName("kvfleet"), new VaultDefinition(emulator.DefaultLocation,
                    emulator.TenantId, [new VaultAccessPolicy(emulator.TenantId, device.PrincipalId!.Value.ToString(),
                        ["get", "set"])]));
                await owner.GetManagementLocksClient().CreateOrUpdateAsync(vault.Id, "keep", "CanNotDelete");
                StorageAccount account = await owner.GetStorageAccountsClient().CreateAsync(group,
                    TestEmulator.UniqueName("safleet"), emulator.DefaultLocation);
                (vaultIds, deviceIds, accountIds) = ([.. vaultIds, vault.Id], [.. deviceIds, device.Id],
                    [.. accountIds, account.Id]);
            }

            var devices = await owner.GetEdgeDevicesClient().ListAsync(null);
            CollectionAssert.IsSubsetOf(deviceIds.Select(Lower).ToList(), devices.Select(d => Lower(d.Id)).ToList(),
                "one list, both groups (same device name in each)");
            Assert.IsTrue(devices.All(d => d.PrincipalId is not null), "with their identities");
            var vaults = await owner.GetVaultsClient().ListAsync();
            CollectionAssert.IsSubsetOf(vaultIds.Select(Lower).ToList(), vaults.Select(v => Lower(v.Id)).ToList());
            Assert.IsTrue(vaults.All(v => v.AccessPolicies.Count > 0), "with their access policies");
            CollectionAssert.IsSubsetOf(accountIds.Select(Lower).ToList(),
                (await owner.GetStorageAccountsClient().ListAsync()).Select(a => Lower(a.Id)).ToList());
            var locks = await owner.GetManagementLocksClient().ListAsync($"/subscriptions/{emulator.SubscriptionId}");
            CollectionAssert.IsSubsetOf(vaultIds.Select(id => Lower($"{id}/providers/Microsoft.Authorization/locks/keep")).ToList(), locks.Select(l => Lower(l.Id)).ToList(),
                "the subscription's locks include those of the resources in it");

            // Roles on one group only: the subscription's lists are refused, the group's are served.
            EmulatorPrincipal scoped = emulator.GetPrincipal(EmulatorPrincipals.NoRoles);
            await owner.GetRoleAssignmentsClient().CreateAsync($"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{groups[0]}", AzureBuiltInRoles.Reader, scoped.ObjectId);
            using EdgeKvAzureClientFactory reader = TestEmulator.Factory(emulator, EmulatorPrincipals.NoRoles);
            foreach (Func<Task> subscriptionList in new Func<Task>[]
            {
                () => reader.GetVaultsClient().ListAsync(), () => reader.GetEdgeDevicesClient().ListAsync(null),
                    () => reader.GetStorageAccountsClient().ListAsync(),
                () => reader.GetManagementLocksClient().ListAsync($"/subscriptions/{emulator.SubscriptionId}"),
            })
            {
                var refused = await Assert.ThrowsExactlyAsync<RequestFailedException>(subscriptionList);
                Assert.AreEqual(403, refused.Status);
            }

            Assert.AreEqual(Lower(vaultIds[0]),
                Lower((await reader.GetVaultsClient().ListAsync(groups[0])).Single().Id));
            Assert.AreEqual(Lower(deviceIds[0]),
                Lower((await reader.GetEdgeDevicesClient().ListAsync(groups[0])).Single().Id));
        }
        finally
        {
            await TestEmulator.StopAsync(emulator);
        }
    }

    private static string Lower(string id) => id.ToLowerInvariant();
}
