import { test } from "node:test";
import assert from "node:assert/strict";
import { sdk, credential, subscriptionId, armOptions, resourceGroup, vault, all, unique, location, arm } from "./env.mjs";

const { KeyVaultManagementClient } = sdk("@azure/arm-keyvault");
const client = () => new KeyVaultManagementClient(credential(), subscriptionId, armOptions);

test("vaults: create, get, update, list by group and subscription, delete, get deleted, purge", async () => {
  const group = await resourceGroup();
  const name = unique("kvmgmt");
  const created = await vault(group, name);
  assert.equal(created.name, name);
  const vaultUri = new URL(created.properties.vaultUri);
  assert.equal(vaultUri.hostname, "127.0.0.1");
  assert.equal(vaultUri.pathname, "/");

  const fetched = await client().vaults.get(group, name);
  assert.equal(fetched.id, created.id);

  const updated = await client().vaults.update(group, name, { tags: { env: "conformance" } });
  assert.equal(updated.tags.env, "conformance");

  assert.ok((await all(client().vaults.listByResourceGroup(group))).some(v => v.name === name));
  assert.ok((await all(client().vaults.listBySubscription())).some(v => v.name === name));
  // vaults.list goes through GET /subscriptions/{s}/resources?$filter=resourceType eq 'Microsoft.KeyVault/vaults'
  assert.ok((await all(client().vaults.list())).some(v => v.name === name));

  await client().vaults.delete(group, name);
  const deleted = await client().vaults.getDeleted(name, location);
  assert.equal(deleted.name, name);
  assert.ok((await all(client().vaults.listDeleted())).some(v => v.name === name));
  await client().vaults.beginPurgeDeletedAndWait(name, location);
  await assert.rejects(client().vaults.getDeleted(name, location), e => e.statusCode === 404);
});

test("vaults: checkNameAvailability answers taken for a live vault", async () => {
  const group = await resourceGroup();
  const created = await vault(group);
  const answer = await client().vaults.checkNameAvailability({ name: created.name, type: "Microsoft.KeyVault/vaults" });
  assert.equal(answer.nameAvailable, false);
});

test("an api-version Azure never published keeps Azure's error", async () => {
  const { status, json } = await arm("GET", `/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/vaults?api-version=2099-01-01`);
  assert.equal(status, 400);
  assert.equal(json.error.code, "NoRegisteredProviderFound");
});

test("the generic resource list pages with $top and nextLink", async () => {
  const group = await resourceGroup();
  await vault(group);
  await vault(group);
  const first = await arm("GET", `/subscriptions/${subscriptionId}/resourceGroups/${group}/resources?$filter=${encodeURIComponent("resourceType eq 'Microsoft.KeyVault/vaults'")}&$top=1&api-version=2021-04-01`);
  assert.equal(first.status, 200);
  assert.equal(first.json.value.length, 1);
  assert.ok(first.json.nextLink);
  const second = await arm("GET", new URL(first.json.nextLink).pathname + new URL(first.json.nextLink).search);
  assert.equal(second.json.value.length, 1);
  assert.notEqual(second.json.value[0].id, first.json.value[0].id);
});

test("vaults: access policies are added and removed through updateAccessPolicy", async () => {
  const group = await resourceGroup();
  const created = await vault(group);
  const other = "0b1d0c1a-0000-4000-8000-000000000002";
  const policy = { tenantId: created.properties.tenantId, objectId: other, permissions: { secrets: ["get"] } };
  await client().vaults.updateAccessPolicy(group, created.name, "add", { properties: { accessPolicies: [policy] } });
  assert.ok((await client().vaults.get(group, created.name)).properties.accessPolicies.some(p => p.objectId === other));
  await client().vaults.updateAccessPolicy(group, created.name, "remove", { properties: { accessPolicies: [policy] } });
  assert.ok(!(await client().vaults.get(group, created.name)).properties.accessPolicies.some(p => p.objectId === other));
});
