import { test } from "node:test";
import assert from "node:assert/strict";
import { sdk, credential, subscriptionId, armOptions, resourceGroup, vault, all } from "./env.mjs";

const { MonitorClient } = sdk("@azure/arm-monitor");
const { SecretClient } = sdk("@azure/keyvault-secrets");

// arm-monitor 8 sends metrics api-version 2024-02-01, arm-monitor 7 sends 2018-01-01: the emulator serves both.
test("vault platform metrics: secret reads are counted as ServiceApiHit, split by StatusCodeClass, with definitions", async () => {
  const kv = await vault(await resourceGroup());
  const secrets = new SecretClient(kv.properties.vaultUri, credential(), { disableChallengeResourceVerification: true });
  await secrets.setSecret("metered", "v");
  const reads = 3;
  for (let i = 0; i < reads; i++) {
    await secrets.getSecret("metered");
  }
  await assert.rejects(secrets.getSecret("absent"), e => e.statusCode === 404);

  const client = new MonitorClient(credential(), subscriptionId, armOptions);
  const from = new Date(Date.now() - 10 * 60_000).toISOString();
  const to = new Date(Date.now() + 5 * 60_000).toISOString();
  const hits = await client.metrics.list(kv.id, {
    timespan: `${from}/${to}`, interval: "PT5M", metricnames: "ServiceApiHit", aggregation: "Total", filter: "ActivityName eq 'secretget'",
  });
  const hitSeries = hits.value[0].timeseries;
  assert.equal(hits.value[0].name.value, "ServiceApiHit");
  assert.equal(hitSeries.flatMap(s => s.data).reduce((n, d) => n + (d.total ?? 0), 0), reads + 1);

  const results = await client.metrics.list(kv.id, {
    timespan: `${from}/${to}`, interval: "PT1H", metricnames: "ServiceApiResult", aggregation: "Count", filter: "StatusCodeClass eq '*'",
  });
  const byClass = Object.fromEntries(results.value[0].timeseries.map(s => [s.metadatavalues[0].value, s.data.reduce((n, d) => n + (d.count ?? 0), 0)]));
  assert.deepEqual(byClass, { "2xx": reads + 1, "4xx": 1 });

  const definitions = await all(client.metricDefinitions.list(kv.id, { metricnamespace: "Microsoft.KeyVault/vaults" }));
  assert.deepEqual(definitions.map(d => d.name.value).sort(), ["Availability", "ServiceApiHit", "ServiceApiLatency", "ServiceApiResult"]);
});
