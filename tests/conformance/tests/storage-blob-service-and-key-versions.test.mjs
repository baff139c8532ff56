import { test } from "node:test";
import assert from "node:assert/strict";
import { sdk, credential, subscriptionId, armOptions, resourceGroup, vault, unique, location } from "./env.mjs";

const { StorageManagementClient } = sdk("@azure/arm-storage");
const { KeyClient } = sdk("@azure/keyvault-keys");

test("storage accounts: name availability, tags (update), blob service soft-delete retention set and read", async () => {
  const client = new StorageManagementClient(credential(), subscriptionId, armOptions);
  const group = await resourceGroup();
  const name = unique("stjsbs");
  assert.equal((await client.storageAccounts.checkNameAvailability({ name, type: "Microsoft.Storage/storageAccounts" })).nameAvailable, true);
  const account = await client.storageAccounts.beginCreateAndWait(group, name, { location, kind: "StorageV2", sku: { name: "Standard_ZRS" } });
  const taken = await client.storageAccounts.checkNameAvailability({ name, type: "Microsoft.Storage/storageAccounts" });
  assert.equal(taken.nameAvailable, false);
  assert.equal(taken.reason, "AlreadyExists");

  const tagged = await client.storageAccounts.update(group, account.name, { tags: { vault: "kv-js" } });
  assert.equal(tagged.tags.vault, "kv-js");

  const before = await client.blobServices.getServiceProperties(group, account.name);
  assert.equal(before.deleteRetentionPolicy?.enabled, false);
  const set = await client.blobServices.setServiceProperties(group, account.name, {
    deleteRetentionPolicy: { enabled: true, days: 14 },
    containerDeleteRetentionPolicy: { enabled: true, days: 14 },
  });
  assert.equal(set.deleteRetentionPolicy.days, 14);
  const after = await client.blobServices.getServiceProperties(group, account.name);
  assert.deepEqual([after.deleteRetentionPolicy.enabled, after.deleteRetentionPolicy.days], [true, 14]);
  assert.deepEqual([after.containerDeleteRetentionPolicy.enabled, after.containerDeleteRetentionPolicy.days], [true, 14]);
  await assert.rejects(
    client.blobServices.setServiceProperties(group, account.name, { deleteRetentionPolicy: { enabled: true, days: 400 } }),
    e => e.statusCode === 400);
});

// Every Key Vault data-plane version, previews included: a client pinned to any of them (other languages send a preview
// by default) is served; this package's default is checked too.
const keyVaultVersions = [undefined, "2025-07-01", "2025-06-01", "7.6", "7.6-preview.2", "7.6-preview.1", "7.5", "7.5-preview.1", "7.4",
  "7.4-preview.1", "7.3", "7.3-preview", "7.2", "7.2-preview", "7.1", "7.0"];

test("keys: a KeyClient pinned to each published service version creates and reads a key", async () => {
  const kv = await vault(await resourceGroup());
  for (const serviceVersion of keyVaultVersions) {
    const client = new KeyClient(kv.properties.vaultUri, credential(), { disableChallengeResourceVerification: true, serviceVersion });
    const name = `k-${(serviceVersion ?? "default").replaceAll(".", "-")}`;
    const created = await client.createRsaKey(name, { keySize: 2048 });
    assert.equal((await client.getKey(name)).id, created.id, `service version ${serviceVersion ?? "default"}`);
  }
});
