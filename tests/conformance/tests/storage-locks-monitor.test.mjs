import { test } from "node:test";
import assert from "node:assert/strict";
import { sdk, credential, subscriptionId, armOptions, resourceGroup, vault, all, unique, location } from "./env.mjs";

const { StorageManagementClient } = sdk("@azure/arm-storage");
const { ManagementLockClient } = sdk("@azure/arm-locks");
const { MonitorClient } = sdk("@azure/arm-monitor");

async function storageAccount(group) {
  const client = new StorageManagementClient(credential(), subscriptionId, armOptions);
  const name = unique("stjs");
  return client.storageAccounts.beginCreateAndWait(group, name, { location, kind: "StorageV2", sku: { name: "Standard_LRS" } });
}

test("storage accounts: create (long-running), get, list by group, delete", async () => {
  const client = new StorageManagementClient(credential(), subscriptionId, armOptions);
  const group = await resourceGroup();
  const account = await storageAccount(group);
  assert.equal(account.provisioningState, "Succeeded");
  const fetched = await client.storageAccounts.getProperties(group, account.name);
  assert.equal(fetched.id, account.id);
  assert.ok((await all(client.storageAccounts.listByResourceGroup(group))).some(a => a.name === account.name));
  await client.storageAccounts.delete(group, account.name);
  await assert.rejects(client.storageAccounts.getProperties(group, account.name), e => e.statusCode === 404);
});

test("locks at resource level (empty parent resource path): create, get, list, delete", async () => {
  const client = new ManagementLockClient(credential(), subscriptionId, armOptions);
  const group = await resourceGroup();
  const kv = await vault(group);
  const lock = await client.managementLocks.createOrUpdateAtResourceLevel(group, "Microsoft.KeyVault", "", "vaults", kv.name, "no-delete",
    { level: "CanNotDelete", notes: "conformance" });
  assert.equal(lock.level, "CanNotDelete");
  assert.equal(lock.id.toLowerCase(), `${kv.id}/providers/Microsoft.Authorization/locks/no-delete`.toLowerCase());
  const fetched = await client.managementLocks.getAtResourceLevel(group, "Microsoft.KeyVault", "", "vaults", kv.name, "no-delete");
  assert.equal(fetched.notes, "conformance");
  assert.ok((await all(client.managementLocks.listAtResourceLevel(group, "Microsoft.KeyVault", "", "vaults", kv.name))).some(l => l.name === "no-delete"));
  await client.managementLocks.deleteAtResourceLevel(group, "Microsoft.KeyVault", "", "vaults", kv.name, "no-delete");
  await assert.rejects(client.managementLocks.getAtResourceLevel(group, "Microsoft.KeyVault", "", "vaults", kv.name, "no-delete"), e => e.statusCode === 404);
});

test("locks by scope (percent-encoded scope): create, get, list, delete; a locked vault refuses deletion", async () => {
  const client = new ManagementLockClient(credential(), subscriptionId, armOptions);
  const group = await resourceGroup();
  const kv = await vault(group);
  const lock = await client.managementLocks.createOrUpdateByScope(kv.id, "scoped", { level: "CanNotDelete" });
  assert.equal(lock.name, "scoped");
  assert.equal((await client.managementLocks.getByScope(kv.id, "scoped")).level, "CanNotDelete");
  assert.ok((await all(client.managementLocks.listByScope(kv.id))).some(l => l.name === "scoped"));
  const { KeyVaultManagementClient } = sdk("@azure/arm-keyvault");
  const vaults = new KeyVaultManagementClient(credential(), subscriptionId, armOptions);
  await assert.rejects(vaults.vaults.delete(group, kv.name), e => e.statusCode === 409 && e.code === "ScopeLocked");
  await client.managementLocks.deleteByScope(kv.id, "scoped");
  await vaults.vaults.delete(group, kv.name);
});

test("locks at resource group level: create, list, delete", async () => {
  const client = new ManagementLockClient(credential(), subscriptionId, armOptions);
  const group = await resourceGroup();
  await client.managementLocks.createOrUpdateAtResourceGroupLevel(group, "rg-lock", { level: "ReadOnly" });
  assert.ok((await all(client.managementLocks.listAtResourceGroupLevel(group))).some(l => l.name === "rg-lock"));
  await client.managementLocks.deleteAtResourceGroupLevel(group, "rg-lock");
});

test("diagnostic settings on a vault: create, get, list, delete", async () => {
  const client = new MonitorClient(credential(), subscriptionId, armOptions);
  const group = await resourceGroup();
  const kv = await vault(group);
  const account = await storageAccount(group);
  const setting = await client.diagnosticSettings.createOrUpdate(kv.id, "audit", {
    storageAccountId: account.id,
    logs: [{ category: "AuditEvent", enabled: true }],
  });
  assert.equal(setting.name, "audit");
  assert.equal((await client.diagnosticSettings.get(kv.id, "audit")).storageAccountId.toLowerCase(), account.id.toLowerCase());
  const listed = await client.diagnosticSettings.list(kv.id);
  const items = Symbol.asyncIterator in listed ? await all(listed) : listed.value;
  assert.ok(items.some(s => s.name === "audit"));
  await client.diagnosticSettings.delete(kv.id, "audit");
  await assert.rejects(client.diagnosticSettings.get(kv.id, "audit"), e => e.statusCode === 404);
});

test("storage accounts: checkNameAvailability answers taken for an existing account", async () => {
  const client = new StorageManagementClient(credential(), subscriptionId, armOptions);
  const account = await storageAccount(await resourceGroup());
  const answer = await client.storageAccounts.checkNameAvailability({ name: account.name, type: "Microsoft.Storage/storageAccounts" });
  assert.equal(answer.nameAvailable, false);
});
