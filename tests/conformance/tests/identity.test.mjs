import { test } from "node:test";
import assert from "node:assert/strict";
import { credential, endpoint, tenantId } from "./env.mjs";

test("ClientSecretCredential takes a management token from the emulator as its authority", async () => {
  const token = await credential().getToken("https://management.azure.com/.default");
  assert.ok(token.token.split(".").length === 3);
  assert.ok(token.expiresOnTimestamp > Date.now());
});

test("the discovery document has every field OpenID Connect Discovery 1.0 requires", async () => {
  const response = await fetch(new URL(`${tenantId}/v2.0/.well-known/openid-configuration`, endpoint));
  assert.equal(response.status, 200);
  const doc = await response.json();
  for (const field of ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "response_types_supported",
    "subject_types_supported", "id_token_signing_alg_values_supported"]) {
    assert.ok(doc[field], `missing ${field}`);
  }
  const keys = await (await fetch(doc.jwks_uri)).json();
  assert.equal(keys.keys[0].kty, "RSA");
});
