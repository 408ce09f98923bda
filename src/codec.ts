/**
 * Sealing cookie values with WebCrypto: AES-256-GCM for confidential values, HMAC-SHA-256 for
 * signed ones. Each secret is turned into keys once (HKDF) and the keys are cached.
 *
 * Why not jose's JWE (`dir` + `A256GCM`)? Measured on a 250-byte session: its compact form (a
 * base64url JSON header, five parts) is 39 characters longer, and encrypt+decrypt runs at half the
 * speed (0.7× with a pre-imported key). Cookies ride on every request, so both count. The primitive
 * is the same AES-GCM; the format below is the minimum around it. jose still does the base64url.
 *
 * Formats, where `kid` names the secret that sealed the value (so rotation costs one decrypt)
 * and `exp` is the expiry in Unix seconds, authenticated with the rest:
 *   encrypted: `kid.base64url(iv ‖ AES-GCM(exp "." text, aad = cookie name))`
 *   signed:    `kid.exp.token.base64url(HMAC(cookie name "=" kid "." exp "." token))`
 * The cookie name is bound in, so a value sealed for one cookie is refused under another.
 *
 * @module
 */

import { base64url } from "jose";
import { assertConfig } from "./errors.ts";

/** The shortest secret accepted: 32 characters. */
export const MIN_SECRET_LENGTH = 32;

/** An opened value: its text (or token) and when it expires. */
export interface Opened {
  text: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

interface Keys {
  kid: string;
  encryption: CryptoKey;
  signing: CryptoKey;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TOKEN = /^[A-Za-z0-9_-]+$/;

function bytes(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

/** Decodes base64url, or returns undefined for anything that is not. */
function unbase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!TOKEN.test(text)) return undefined;
  try {
    return base64url.decode(text) as Uint8Array<ArrayBuffer>;
  } catch {
    return undefined;
  }
}

async function deriveKeys(secret: string): Promise<Keys> {
  const base = await crypto.subtle.importKey("raw", bytes(secret), "HKDF", false, ["deriveKey", "deriveBits"]);
  const hkdf = (info: string) => ({ name: "HKDF", hash: "SHA-256", salt: bytes("web-sessions"), info: bytes(info) });
  const [encryption, signing, kidBits] = await Promise.all([
    crypto.subtle.deriveKey(hkdf("aes-256-gcm"), base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]),
    crypto.subtle.deriveKey(hkdf("hmac-sha-256"), base, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign", "verify"]),
    crypto.subtle.deriveBits(hkdf("key-id"), base, 24),
  ]);
  return { kid: base64url.encode(new Uint8Array(kidBits)), encryption, signing };
}

/** Checks secrets as given to a store: one string or an array, newest first, each long enough. */
export function normalizeSecrets(secrets: string | readonly string[] | undefined, where: string): string[] {
  const list = typeof secrets === "string" ? [secrets] : [...(secrets ?? [])];
  assertConfig(list.length > 0, `${where}: secrets is required (one string, or an array newest first)`);
  for (const secret of list) {
    assertConfig(
      typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH,
      `${where}: each secret must be a string of at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return list;
}

/** Seals and opens cookie values with a list of secrets, newest first. */
export class Codec {
  readonly #secrets: string[];
  #keys?: Promise<{ newest: Keys; byKid: Map<string, Keys[]> }>;

  constructor(secrets: string[]) {
    this.#secrets = secrets;
  }

  // Derived on first use, then reused: a key import per request would cost more than the cipher.
  #getKeys() {
    return (this.#keys ??= Promise.all(this.#secrets.map(deriveKeys)).then((all) => {
      const byKid = new Map<string, Keys[]>();
      for (const keys of all) byKid.set(keys.kid, [...(byKid.get(keys.kid) ?? []), keys]);
      return { newest: all[0]!, byKid };
    }));
  }

  /** Encrypts `text` for the cookie `name`, valid until `exp` (Unix seconds). */
  async encrypt(name: string, text: string, exp: number): Promise<string> {
    const { newest } = await this.#getKeys();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: bytes(name) },
      newest.encryption,
      bytes(`${exp}.${text}`),
    );
    const out = new Uint8Array(12 + sealed.byteLength);
    out.set(iv);
    out.set(new Uint8Array(sealed), 12);
    return `${newest.kid}.${base64url.encode(out)}`;
  }

  /** Opens an encrypted value, or returns undefined if it is forged, foreign or expired. */
  async decrypt(name: string, value: string, now = Date.now()): Promise<Opened | undefined> {
    const dot = value.indexOf(".");
    const sealed = unbase64(value.slice(dot + 1));
    if (dot < 0 || !sealed || sealed.length < 12 + 16) return undefined;
    const { byKid } = await this.#getKeys();
    for (const keys of byKid.get(value.slice(0, dot)) ?? []) {
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: sealed.subarray(0, 12), additionalData: bytes(name) },
          keys.encryption,
          sealed.subarray(12),
        );
      } catch {
        continue; // not this key (or tampered): GCM authentication failed
      }
      return unexpired(decoder.decode(plain), now);
    }
    return undefined;
  }

  /** Signs a base64url `token` for the cookie `name`, valid until `exp` (Unix seconds). */
  async sign(name: string, token: string, exp: number): Promise<string> {
    const { newest } = await this.#getKeys();
    const body = `${newest.kid}.${exp}.${token}`;
    const mac = await crypto.subtle.sign("HMAC", newest.signing, bytes(`${name}=${body}`));
    return `${body}.${base64url.encode(new Uint8Array(mac))}`;
  }

  /** Opens a signed value (its token), or returns undefined if it is forged, foreign or expired. */
  async verify(name: string, value: string, now = Date.now()): Promise<Opened | undefined> {
    const parts = value.split(".");
    if (parts.length !== 4) return undefined;
    const [kid, exp, token, signature] = parts as [string, string, string, string];
    const mac = unbase64(signature);
    if (!mac || !TOKEN.test(token) || !/^\d{1,15}$/.test(exp)) return undefined;
    const { byKid } = await this.#getKeys();
    const signed = bytes(`${name}=${kid}.${exp}.${token}`);
    for (const keys of byKid.get(kid) ?? []) {
      // Constant-time comparison is WebCrypto's job: never compare MACs with ===.
      if (await crypto.subtle.verify("HMAC", keys.signing, mac, signed)) {
        const expiresAt = Number(exp) * 1000;
        return expiresAt > now ? { text: token, expiresAt } : undefined;
      }
    }
    return undefined;
  }
}

function unexpired(plain: string, now: number): Opened | undefined {
  const dot = plain.indexOf(".");
  const expiresAt = Number(plain.slice(0, dot)) * 1000;
  return dot > 0 && expiresAt > now ? { text: plain.slice(dot + 1), expiresAt } : undefined;
}

/** Encodes text as base64url, for signed-only cookie contents. */
export function toBase64url(text: string): string {
  return base64url.encode(text);
}

/** Decodes base64url text, or returns undefined for anything that is not. */
export function fromBase64url(token: string): string | undefined {
  const raw = unbase64(token);
  if (!raw) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return undefined;
  }
}

/** A new session id: 128 random bits, base64url (22 characters). */
export function newSessionId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
}
