/**
 * The `"jwt"` cookie format: each value a standard JWT, through jose. Encrypted: a JWE with
 * `alg: "dir"`, `enc: "A256GCM"`; signed only: a JWS with `HS256`. The header names the key
 * (`kid`), so an older secret's cookie costs one decrypt, as in the compact format.
 *
 * Claims: `jti` the session id, `iat` when the session was created (kept across saves, for
 * `absoluteMaxAge`), `exp` when it expires, `data` its data, and `aud` the cookie name, which binds
 * a value to its cookie as the compact format does (a value sealed for one cookie is refused under
 * another).
 *
 * @module
 */

import { CompactEncrypt, CompactSign, jwtDecrypt, jwtVerify } from "jose";
import type { JWTPayload, ProtectedHeaderParameters } from "jose";
import type { CookieFormat, SessionToSeal } from "../stores/cookie-format.ts";
import type { StoredSession } from "../store.ts";
import { encodeJson } from "../json.ts";
import { deriveJwtKey, jwtKeyId } from "./keys.ts";

interface JwtKey {
  kid: string;
  key: CryptoKey;
}

interface KeyRing {
  newest: JwtKey;
  byKid: Map<string, CryptoKey>;
}

const REQUIRED = ["jti", "iat", "exp"];
const encoder = new TextEncoder();
// Compact JWS/JWE: base64url segments and dots only. jose's decoder also takes "=" padding, so
// without this a value with "=" appended (an extra chunk, say) would still open.
export const COMPACT_JWT = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2}(?:(?:\.[A-Za-z0-9_-]*){2})?$/;

/** A JSON object's entries as the Map a session holds. */
export function toDataMap(object: Record<string, unknown>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const key of Object.keys(object)) values.set(key, object[key]);
  return values;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Seals and opens sessions as JWTs with a list of secrets, newest first. */
export class JwtFormat implements CookieFormat {
  readonly #secrets: readonly string[];
  readonly #encrypt: boolean;
  #ring?: Promise<KeyRing>;

  constructor(secrets: readonly string[], encrypt: boolean) {
    this.#secrets = secrets;
    this.#encrypt = encrypt;
  }

  // Imported once as CryptoKeys: handing jose the raw bytes would import them on every call.
  #keys(): Promise<KeyRing> {
    return (this.#ring ??= Promise.all(this.#secrets.map((secret) => this.#importKey(secret))).then((all) => {
      const byKid = new Map<string, CryptoKey>();
      // Oldest first, so the newest wins a (48-bit) kid collision.
      for (const { kid, key } of [...all].reverse()) byKid.set(kid, key);
      return { newest: all[0]!, byKid };
    }));
  }

  async #importKey(secret: string): Promise<JwtKey> {
    const raw = await deriveJwtKey(secret);
    const algorithm = this.#encrypt ? { name: "AES-GCM" } : { name: "HMAC", hash: "SHA-256" };
    const usages: KeyUsage[] = this.#encrypt ? ["encrypt", "decrypt"] : ["sign", "verify"];
    return { kid: await jwtKeyId(raw), key: await crypto.subtle.importKey("raw", raw, algorithm, false, usages) };
  }

  async seal(name: string, { id, createdAt, expiresAt, data }: SessionToSeal): Promise<string> {
    const { newest } = await this.#keys();
    const claims: JWTPayload = { jti: id, iat: Math.floor(createdAt / 1000), exp: Math.ceil(expiresAt / 1000), aud: name, data };
    // The claims as JSON here, not through EncryptJWT/SignJWT: those structuredClone them first, which
    // throws for a function, a symbol or an object with a toJSON method and drops a class's toJSON,
    // so the data would not be kept as the compact format keeps it.
    const payload = encoder.encode(encodeJson(claims));
    return this.#encrypt
      ? new CompactEncrypt(payload).setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: newest.kid }).encrypt(newest.key)
      : new CompactSign(payload).setProtectedHeader({ alg: "HS256", kid: newest.kid }).sign(newest.key);
  }

  isWellFormed(value: string): boolean {
    return COMPACT_JWT.test(value);
  }

  async open(name: string, value: string): Promise<StoredSession | undefined> {
    if (!COMPACT_JWT.test(value)) return undefined;
    const { newest, byKid } = await this.#keys();
    // A token without kid (another service's, say) is tried with the newest key.
    const keyFor = ({ kid }: ProtectedHeaderParameters) => {
      const key = kid === undefined ? newest.key : byKid.get(kid);
      if (!key) throw new Error("no key of this kid");
      return key;
    };
    let payload: JWTPayload;
    try {
      // jose checks exp, the audience, the algorithms and the required claims; exp against
      // Date.now(), the clock the rest of the library reads.
      const checks = { audience: name, requiredClaims: REQUIRED, currentDate: new Date(Date.now()) };
      ({ payload } = this.#encrypt
        ? await jwtDecrypt(value, keyFor, { ...checks, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] })
        : await jwtVerify(value, keyFor, { ...checks, algorithms: ["HS256"] }));
    } catch {
      return undefined; // forged, foreign, expired or not a JWT at all
    }
    const { jti, iat, exp, data } = payload;
    if (typeof jti !== "string" || jti === "" || !isPlainObject(data)) return undefined;
    return { id: jti, createdAt: iat! * 1000, expiresAt: exp! * 1000, data: toDataMap(data) };
  }
}
