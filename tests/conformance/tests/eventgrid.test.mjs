import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { sdk, credential, subscriptionId, armOptions, resourceGroup, vault, all } from "./env.mjs";

const { EventGridManagementClient } = sdk("@azure/arm-eventgrid");

/** A loopback webhook that answers Event Grid's validation handshake and accepts deliveries. */
async function webhook() {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", chunk => { body += chunk; });
    request.on("end", () => {
      const events = body ? JSON.parse(body) : [];
      const first = Array.isArray(events) ? events[0] : events;
      response.setHeader("content-type", "application/json");
      if (request.headers["aeg-event-type"] === "SubscriptionValidation") {
        response.end(JSON.stringify({ validationResponse: first.data.validationCode }));
      } else {
        response.end("{}");
      }
    });
  });
  await new Promise(resolve => server.listen(0, "127.0.0.1", resolve));
  return server;
}

test("event subscriptions on a vault: create (validation handshake), get, list, delete", async () => {
  const server = await webhook();
  try {
    const client = new EventGridManagementClient(credential(), subscriptionId, armOptions);
    const group = await resourceGroup();
    const kv = await vault(group);
    const url = `http://127.0.0.1:${server.address().port}/events?code=secret`;
    const created = await client.eventSubscriptions.beginCreateOrUpdateAndWait(kv.id, "vault-events", {
      destination: { endpointType: "WebHook", endpointUrl: url },
      filter: { includedEventTypes: ["Microsoft.KeyVault.VaultAccessPolicyChanged"] },
    });
    assert.equal(created.name, "vault-events");
    const fetched = await client.eventSubscriptions.get(kv.id, "vault-events");
    assert.equal(fetched.destination.endpointType, "WebHook");
    assert.equal(fetched.destination.endpointBaseUrl, `http://127.0.0.1:${server.address().port}/events`);
    await client.eventSubscriptions.beginDeleteAndWait(kv.id, "vault-events");
    await assert.rejects(client.eventSubscriptions.get(kv.id, "vault-events"), e => e.statusCode === 404);
  } finally {
    server.close();
  }
});
