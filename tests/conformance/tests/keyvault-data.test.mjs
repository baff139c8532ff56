import { test } from "node:test";
import assert from "node:assert/strict";
import { sdk, credential, resourceGroup, vault, all } from "./env.mjs";

const { SecretClient } = sdk("@azure/keyvault-secrets");
const { KeyClient, CryptographyClient } = sdk("@azure/keyvault-keys");

// The challenge names https://vault.azure.net, which is not the emulator's host.
const dataOptions = { disableChallengeResourceVerification: true };

let shared;
async function sharedVault() {
  shared ??= vault(await resourceGroup());
  return shared;
}

test("secrets: set, get by id, list, update, delete (soft), get deleted, recover, purge", async () => {
  const kv = await sharedVault();
  const client = new SecretClient(kv.properties.vaultUri, credential(), dataOptions);
  const set = await client.setSecret("conformance", "value-1", { contentType: "text/plain" });
  assert.equal(new URL(set.properties.id).origin, new URL(kv.properties.vaultUri).origin);
  assert.equal((await client.getSecret("conformance")).value, "value-1");
  assert.equal((await client.getSecret("conformance", { version: set.properties.version })).value, "value-1");
  assert.ok((await all(client.listPropertiesOfSecrets())).some(s => s.name === "conformance"));
  await client.updateSecretProperties("conformance", set.properties.version, { tags: { a: "b" } });
  const poller = await client.beginDeleteSecret("conformance", { intervalInMs: 10 });
  await poller.pollUntilDone();
  assert.equal((await client.getDeletedSecret("conformance")).name, "conformance");
  const recover = await client.beginRecoverDeletedSecret("conformance", { intervalInMs: 10 });
  await recover.pollUntilDone();
  assert.equal((await client.getSecret("conformance")).value, "value-1");
  await (await client.beginDeleteSecret("conformance", { intervalInMs: 10 })).pollUntilDone();
  await client.purgeDeletedSecret("conformance");
});

test("a secret's id, followed as a vault URL, reaches the same vault", async () => {
  const kv = await sharedVault();
  const client = new SecretClient(kv.properties.vaultUri, credential(), dataOptions);
  const set = await client.setSecret("followed", "v");
  const viaId = new SecretClient(new URL(set.properties.id).origin, credential(), dataOptions);
  assert.equal((await viaId.getSecret("followed")).value, "v");
});

test("keys: create RSA, get, list; CryptographyClient built from the kid encrypts, decrypts, signs, verifies, wraps, unwraps", async () => {
  const kv = await sharedVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  const key = await keys.createRsaKey("crypto", { keySize: 2048 });
  assert.equal(key.keyType, "RSA");
  assert.equal((await keys.getKey("crypto")).id, key.id);
  assert.ok((await all(keys.listPropertiesOfKeys())).some(k => k.name === "crypto"));

  // The cryptography client addresses the vault through the kid's host, never through the KeyClient's URL.
  const crypto = new CryptographyClient(key.id, credential(), dataOptions);
  const plaintext = Buffer.from("conformance");
  const encrypted = await crypto.encrypt({ algorithm: "RSA-OAEP", plaintext });
  const decrypted = await crypto.decrypt({ algorithm: "RSA-OAEP", ciphertext: encrypted.result });
  assert.equal(Buffer.from(decrypted.result).toString(), "conformance");

  const digest = (await import("node:crypto")).createHash("sha256").update("message").digest();
  const signature = await crypto.sign("RS256", digest);
  assert.equal((await crypto.verify("RS256", digest, signature.result)).result, true);

  const wrapped = await crypto.wrapKey("RSA-OAEP-256", Buffer.alloc(32, 7));
  const unwrapped = await crypto.unwrapKey("RSA-OAEP-256", wrapped.result);
  assert.deepEqual(Buffer.from(unwrapped.result), Buffer.alloc(32, 7));
});

test("secrets: versions and deleted secrets are listed", async () => {
  const kv = await sharedVault();
  const client = new SecretClient(kv.properties.vaultUri, credential(), dataOptions);
  await client.setSecret("versioned", "a");
  await client.setSecret("versioned", "b");
  assert.equal((await all(client.listPropertiesOfSecretVersions("versioned"))).length, 2);
  await (await client.beginDeleteSecret("versioned", { intervalInMs: 10 })).pollUntilDone();
  assert.ok((await all(client.listDeletedSecrets())).some(s => s.name === "versioned"));
});

test("keys: import an RSA key, list versions, update, delete and recover", async () => {
  const kv = await sharedVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  const { generateKeyPairSync } = await import("node:crypto");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  const bytes = name => Buffer.from(jwk[name], "base64url");
  const imported = await keys.importKey("imported", {
    kty: "RSA", n: bytes("n"), e: bytes("e"), d: bytes("d"), p: bytes("p"), q: bytes("q"), dp: bytes("dp"), dq: bytes("dq"), qi: bytes("qi"),
  });
  assert.equal(imported.keyType, "RSA");
  assert.equal((await all(keys.listPropertiesOfKeyVersions("imported"))).length, 1);
  const updated = await keys.updateKeyProperties("imported", imported.properties.version, { tags: { a: "b" } });
  assert.equal(updated.properties.tags.a, "b");
  await (await keys.beginDeleteKey("imported", { intervalInMs: 10 })).pollUntilDone();
  assert.equal((await keys.getDeletedKey("imported")).name, "imported");
  await (await keys.beginRecoverDeletedKey("imported", { intervalInMs: 10 })).pollUntilDone();
  assert.equal((await keys.getKey("imported")).id, imported.id);
});
