// Shared set-up for the conformance tests: the emulator's endpoint and credentials come from the environment
// (set by ConformanceTests.cs), the SDK packages from the generation folder node runs in (js-current or js-2024).
import { createRequire } from "node:module";
import path from "node:path";
import { randomBytes } from "node:crypto";

const required = ["EMULATOR_ENDPOINT", "EMULATOR_TENANT", "EMULATOR_SUBSCRIPTION", "EMULATOR_CLIENT_ID", "EMULATOR_CLIENT_SECRET", "EMULATOR_OBJECT_ID"];
for (const name of required) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set; run these tests through ConformanceTests (dotnet test) or set it by hand`);
  }
}

export const sdk = createRequire(path.join(process.cwd(), "package.json"));
export const endpoint = process.env.EMULATOR_ENDPOINT.replace(/\/?$/, "/");
export const tenantId = process.env.EMULATOR_TENANT;
export const subscriptionId = process.env.EMULATOR_SUBSCRIPTION;
export const clientId = process.env.EMULATOR_CLIENT_ID;
export const objectId = process.env.EMULATOR_OBJECT_ID;
export const location = "westus2";

const { ClientSecretCredential } = sdk("@azure/identity");

/** A client-secret credential whose authority is the emulator (MSAL asks login.microsoftonline.com for instance discovery unless it is off). */
export function credential() {
  return new ClientSecretCredential(tenantId, clientId, process.env.EMULATOR_CLIENT_SECRET, {
    authorityHost: endpoint,
    disableInstanceDiscovery: true,
  });
}

// Given an endpoint, the clients would ask for a token for that endpoint: the scope is set the way each generation
// reads it (credentialScopes for the core-client ones, credentials.scopes for the TypeSpec-generated ones).
const managementScope = "https://management.azure.com/.default";
export const armOptions = {
  endpoint: endpoint.replace(/\/$/, ""),
  credentialScopes: [managementScope],
  credentials: { scopes: [managementScope] },
  updateIntervalInMs: 10,
};

export function unique(prefix) {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

/** Raw Resource Manager call (resource groups have no package here; wire checks the SDKs hide). */
export async function arm(method, pathAndQuery, body) {
  const token = await credential().getToken("https://management.azure.com/.default");
  const response = await fetch(new URL(pathAndQuery.replace(/^\//, ""), endpoint), {
    method,
    headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

export async function resourceGroup() {
  const name = unique("rg-js-");
  const { status } = await arm("PUT", `/subscriptions/${subscriptionId}/resourceGroups/${name}?api-version=2025-04-01`, { location });
  if (status !== 201 && status !== 200) {
    throw new Error(`resource group ${name}: ${status}`);
  }
  return name;
}

/** A vault whose access policy gives the test principal every secret and key permission (sku "premium" holds HSM keys). */
export async function vault(group, name = unique("kvjs"), sku = "standard") {
  const { KeyVaultManagementClient } = sdk("@azure/arm-keyvault");
  const client = new KeyVaultManagementClient(credential(), subscriptionId, armOptions);
  return client.vaults.beginCreateOrUpdateAndWait(group, name, {
    location,
    properties: {
      tenantId,
      sku: { family: "A", name: sku },
      // Explicit: from the management api-version 2026-02-01 on, a vault created without it uses Azure RBAC and ignores access policies.
      enableRbacAuthorization: false,
      accessPolicies: [{
        tenantId,
        objectId,
        permissions: {
          secrets: ["get", "list", "set", "delete", "recover", "purge"],
          keys: ["get", "list", "create", "import", "update", "delete", "recover", "purge", "encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
        },
      }],
    },
  });
}

export async function all(iterator) {
  const items = [];
  for await (const item of iterator) {
    items.push(item);
  }
  return items;
}
