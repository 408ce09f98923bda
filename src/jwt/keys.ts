/**
 * The keys of the `"jwt"` cookie format, derived so that a service in any language can repeat it.
 *
 * @module
 */

import { encodeBase64url } from "../base64url.ts";
import { MIN_SECRET_LENGTH } from "../codec.ts";
import { assertConfig } from "../errors.ts";

const encoder = new TextEncoder();

/**
 * The 32-byte key of the `"jwt"` format for one secret: HKDF-SHA-256 (RFC 5869) with the secret's
 * UTF-8 bytes as input key material, salt `"web-sessions"`, info `"jwt"`, 32 bytes of output. It is
 * the JWE content encryption key (`alg: "dir"`, `enc: "A256GCM"`) of encrypted cookies and the
 * HMAC key (`HS256`) of signed ones.
 *
 * @example
 * ```ts
 * import { jwtDecrypt } from "jose";
 * import { deriveJwtKey } from "web-sessions/jwt";
 *
 * const key = await deriveJwtKey(process.env.SESSION_SECRET!);
 * const { payload } = await jwtDecrypt(cookieValue, key, { audience: "session" });
 * ```
 */
export async function deriveJwtKey(secret: string): Promise<Uint8Array<ArrayBuffer>> {
  assertConfig(typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH, `deriveJwtKey: the secret must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: encoder.encode("web-sessions"), info: encoder.encode("jwt") };
  return new Uint8Array(await crypto.subtle.deriveBits(params, base, 256));
}

/** The `kid` of a key: base64url of the first 6 bytes of its SHA-256 (so it tells nothing of the key). */
export async function jwtKeyId(key: Uint8Array<ArrayBuffer>): Promise<string> {
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", key), 0, 6));
}
