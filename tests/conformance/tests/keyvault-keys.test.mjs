import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createCipheriv, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, constants } from "node:crypto";
import { sdk, credential, resourceGroup, vault } from "./env.mjs";

const { KeyClient, CryptographyClient } = sdk("@azure/keyvault-keys");

// The challenge names https://vault.azure.net, which is not the emulator's host.
const dataOptions = { disableChallengeResourceVerification: true };

let shared;
async function premiumVault() {
  shared ??= vault(await resourceGroup(), undefined, "premium");
  return shared;
}

test("keys: create an EC key on each curve; CryptographyClient signs and verifies ES256/ES384/ES512", async () => {
  const kv = await premiumVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  for (const [curve, algorithm, hash] of [["P-256", "ES256", "sha256"], ["P-384", "ES384", "sha384"], ["P-521", "ES512", "sha512"]]) {
    const key = await keys.createEcKey(`ec-${curve.toLowerCase()}`, { curve });
    assert.equal(key.keyType, "EC");
    assert.equal(key.key.crv, curve);
    assert.equal(key.key.d, undefined);
    const crypto = new CryptographyClient(key.id, credential(), dataOptions);
    const digest = createHash(hash).update("message").digest();
    const signature = await crypto.sign(algorithm, digest);
    assert.equal((await crypto.verify(algorithm, digest, signature.result)).result, true);
  }
});

test("keys: an EC-HSM key is created in a premium vault and refused in a standard one", async () => {
  const kv = await premiumVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  assert.equal((await keys.createEcKey("ec-hsm", { curve: "P-256", hsm: true })).keyType, "EC-HSM");

  const standard = await vault(await resourceGroup());
  const standardKeys = new KeyClient(standard.properties.vaultUri, credential(), dataOptions);
  await assert.rejects(standardKeys.createEcKey("ec-hsm", { curve: "P-256", hsm: true }), error => error.statusCode === 400 && error.code === "BadParameter");
});

test("keys: import an EC key (JWK) and sign with it", async () => {
  const kv = await premiumVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const jwk = privateKey.export({ format: "jwk" });
  const bytes = name => Buffer.from(jwk[name], "base64url");
  const imported = await keys.importKey("ec-imported", { kty: "EC", crv: "P-384", x: bytes("x"), y: bytes("y"), d: bytes("d"), keyOps: ["sign", "verify"] });
  assert.equal(imported.keyType, "EC");
  assert.deepEqual(Buffer.from(imported.key.x), bytes("x"));

  const crypto = new CryptographyClient(imported.id, credential(), dataOptions);
  const digest = createHash("sha384").update("message").digest();
  const signature = await crypto.sign("ES384", digest);
  const { verify } = await import("node:crypto");
  // The vault signed the SHA-384 digest of "message": node verifies the message itself, hashing it with SHA-384.
  assert.equal(verify("sha384", Buffer.from("message"), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(signature.result)), true);
});

test("keys: a disabled version refuses cryptography with 403 while the newer version works", async () => {
  const kv = await premiumVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  const first = await keys.createRsaKey("versions", { keySize: 2048 });
  const second = await keys.createRsaKey("versions", { keySize: 2048 });
  await keys.updateKeyProperties("versions", first.properties.version, { enabled: false });

  // Private-key operations run in the vault (the SDK encrypts and verifies locally with the public key).
  const digest = createHash("sha256").update("message").digest();
  const old = new CryptographyClient(first.id, credential(), dataOptions);
  await assert.rejects(old.sign("RS256", digest), error => error.statusCode === 403);
  const current = new CryptographyClient(second.id, credential(), dataOptions);
  assert.equal((await current.sign("RS256", digest)).result.length, 256);
});

test("keys: operations outside key_ops are refused with 403", async () => {
  const kv = await premiumVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  const key = await keys.createRsaKey("narrowed-ops", { keySize: 2048 });
  // The SDK checks key_ops itself once it has read the key: read it while every operation is allowed, then narrow them
  // in the vault, so the refusal seen is the vault's own.
  const crypto = new CryptographyClient(key.id, credential(), dataOptions);
  const digest = createHash("sha256").update("message").digest();
  await crypto.sign("RS256", digest);
  await keys.updateKeyProperties("narrowed-ops", key.properties.version, { keyOps: ["sign"] });
  await assert.rejects(crypto.decrypt({ algorithm: "RSA-OAEP", ciphertext: Buffer.alloc(256, 1) }), error => error.statusCode === 403 && error.code === "Forbidden");
  await assert.rejects(crypto.unwrapKey("RSA-OAEP", Buffer.alloc(256, 1)), error => error.statusCode === 403 && error.code === "Forbidden");
  assert.equal((await crypto.sign("RS256", digest)).result.length, 256);
});

test("keys: BYOK: a key wrapped by OpenSSL (RSA-OAEP + AES key wrap with padding) for the vault's KEK is imported as RSA-HSM", async () => {
  const kv = await premiumVault();
  const keys = new KeyClient(kv.properties.vaultUri, credential(), dataOptions);
  const kek = await keys.createRsaKey("kek", { keySize: 2048, hsm: true, keyOps: ["import"] });
  assert.deepEqual(kek.keyOperations, ["import"]);

  const kekPublic = createPublicKey({ key: { kty: "RSA", n: Buffer.from(kek.key.n).toString("base64url"), e: Buffer.from(kek.key.e).toString("base64url") }, format: "jwk" });
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const aesKey = randomBytes(32);
  const wrap = createCipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("A65959A6", "hex"));
  const wrapped = Buffer.concat([wrap.update(privateKey.export({ format: "der", type: "pkcs8" })), wrap.final()]);
  const head = publicEncrypt({ key: kekPublic, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, aesKey);
  const blob = {
    schema_version: "1.0.0",
    header: { kid: kek.id, alg: "dir", enc: "CKM_RSA_AES_KEY_WRAP" },
    ciphertext: Buffer.concat([head, wrapped]).toString("base64url"),
    generator: "conformance; node OpenSSL",
  };
  const imported = await keys.importKey("byok", { kty: "RSA-HSM", t: Buffer.from(JSON.stringify(blob)), keyOps: ["sign", "verify"] });
  assert.equal(imported.keyType, "RSA-HSM");
  assert.equal(Buffer.from(imported.key.n).toString("base64url"), publicKey.export({ format: "jwk" }).n);

  const tampered = { ...blob, ciphertext: Buffer.concat([head, Buffer.from(wrapped.map((b, i) => (i === 3 ? b ^ 1 : b)))]).toString("base64url") };
  await assert.rejects(keys.importKey("byok-tampered", { kty: "RSA-HSM", t: Buffer.from(JSON.stringify(tampered)) }),
    error => error.statusCode === 400 && error.code === "BadParameter");
});
