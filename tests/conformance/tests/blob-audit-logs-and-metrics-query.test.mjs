import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { sdk, credential, subscriptionId, objectId, location, armOptions, resourceGroup, vault, arm, unique, all } from "./env.mjs";

const { StorageManagementClient } = sdk("@azure/arm-storage");
const { MonitorClient } = sdk("@azure/arm-monitor");
const { SecretClient } = sdk("@azure/keyvault-secrets");
const { BlobServiceClient } = sdk("@azure/storage-blob");
const { MetricsQueryClient } = sdk("@azure/monitor-query");

const storageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

// A vault whose audit logs go to a storage account, the test principal a Storage Blob Data Reader on it.
async function auditedVault() {
  const group = await resourceGroup();
  const kv = await vault(group);
  const storage = new StorageManagementClient(credential(), subscriptionId, armOptions);
  const account = await storage.storageAccounts.beginCreateAndWait(group, unique("stjs"), { location, kind: "StorageV2", sku: { name: "Standard_LRS" } });
  await new MonitorClient(credential(), subscriptionId, armOptions).diagnosticSettings.createOrUpdate(kv.id, "audit", {
    storageAccountId: account.id,
    logs: [{ category: "AuditEvent", enabled: true }],
  });
  const granted = await arm("PUT", `${account.id}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
    properties: { roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${storageBlobDataReader}`, principalId: objectId },
  });
  assert.equal(granted.status, 201, JSON.stringify(granted.json));
  return { kv, account };
}

test("audit logs: @azure/storage-blob lists a vault's hour by its date-partitioned prefix and reads its records", async () => {
  const { kv, account } = await auditedVault();
  const secrets = new SecretClient(kv.properties.vaultUri, credential(), { disableChallengeResourceVerification: true });
  await secrets.setSecret("audited", "v");

  const container = new BlobServiceClient(account.primaryEndpoints.blob, credential()).getContainerClient("insights-logs-auditevent");
  const now = new Date();
  const pad = n => String(n).padStart(2, "0");
  const hour = `y=${now.getUTCFullYear()}/m=${pad(now.getUTCMonth() + 1)}/d=${pad(now.getUTCDate())}/h=${pad(now.getUTCHours())}/`;
  // The hour may turn between the write and the listing: the previous hour's prefix is looked at too.
  const before = new Date(now.getTime() - 3_600_000);
  const previous = `y=${before.getUTCFullYear()}/m=${pad(before.getUTCMonth() + 1)}/d=${pad(before.getUTCDate())}/h=${pad(before.getUTCHours())}/`;
  const names = [];
  for (const part of [hour, previous]) {
    names.push(...(await all(container.listBlobsFlat({ prefix: `resourceId=${kv.id.toUpperCase()}/${part}` }))).map(b => b.name));
  }
  assert.ok(names.length >= 1, "the hour's blob is listed by its prefix");
  assert.ok(names.every(n => n.endsWith("/m=00/PT1H.json")), names.join(", "));
  assert.equal((await all(container.listBlobsFlat({ prefix: `resourceId=${kv.id.toUpperCase()}/y=1999/` }))).length, 0, "another year's prefix lists nothing");

  const records = [];
  for (const name of names) {
    const text = (await container.getBlobClient(name).downloadToBuffer()).toString("utf8");
    records.push(...text.split("\n").filter(line => line.trim()).map(line => JSON.parse(line)));
  }
  assert.ok(records.some(r => r.operationName === "SecretSet" && r.category === "AuditEvent"), JSON.stringify(records.map(r => r.operationName)));
});

test("platform metrics: @azure/monitor-query's MetricsQueryClient reads a vault's ServiceApiHit and ServiceApiResult", async () => {
  const kv = await vault(await resourceGroup());
  const secrets = new SecretClient(kv.properties.vaultUri, credential(), { disableChallengeResourceVerification: true });
  await secrets.setSecret("metered", "v");
  const reads = 2;
  for (let i = 0; i < reads; i++) {
    await secrets.getSecret("metered");
  }

  // Deprecated in favour of arm-monitor's metrics, but what code of 2024 uses: its endpoint is Resource Manager's.
  const client = new MetricsQueryClient(credential(), { endpoint: armOptions.endpoint, audience: "https://management.azure.com" });
  const result = await client.queryResource(kv.id, ["ServiceApiHit", "ServiceApiResult"], {
    timespan: { startTime: new Date(Date.now() - 10 * 60_000), endTime: new Date(Date.now() + 5 * 60_000) },
    granularity: "PT5M",
    aggregations: ["Total", "Count"],
    filter: "ActivityName eq 'secretget'",
  });
  const byName = Object.fromEntries(result.metrics.map(m => [m.name, m]));
  const total = (metric, field) => metric.timeseries.flatMap(s => s.data ?? []).reduce((n, d) => n + (d[field] ?? 0), 0);
  assert.equal(total(byName.ServiceApiHit, "total"), reads);
  assert.equal(total(byName.ServiceApiResult, "count"), reads);
});
