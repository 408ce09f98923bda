/**
 * `CookieStore`: the whole session inside the cookie, encrypted (default) or signed.
 *
 * @module
 */

import { Codec, fromBase64url, normalizeSecrets, toBase64url } from "../codec.ts";
import { checkCookieOptions } from "../options.ts";
import type { CookieOptions } from "../options.ts";
import type { SessionWrite, Store, StoredSession } from "../store.ts";
import { decodeJson, encodeJson, toSeconds } from "./json.ts";

/** Options of {@link CookieStore}. */
export interface CookieStoreOptions {
  /** One secret, or several newest first (old ones still open cookies). Each at least 32 characters. */
  secrets: string | readonly string[];
  /** Encrypt the contents (AES-256-GCM). `false` only signs them: readable by the client, not changeable. @default true */
  encrypt?: boolean;
  /** Cookie options for sessions in this store. */
  cookie?: CookieOptions;
}

/**
 * Keeps all session data in the cookie itself: no server state, so any instance can serve any
 * request. The cookie (name and value) must stay within 4096 bytes, or `save()` rejects with
 * `ERR_SESSION_COOKIE_TOO_LARGE`. A session cannot be revoked before it expires: use a server
 * store where logout must end the session everywhere.
 *
 * @example
 * ```ts
 * import { CookieStore } from "web-sessions";
 *
 * const store = new CookieStore({ secrets: [process.env.SESSION_SECRET!, process.env.OLD_SESSION_SECRET!] });
 * ```
 */
export class CookieStore implements Store {
  readonly cookie: CookieOptions | undefined;
  readonly #codec: Codec;
  readonly #encrypt: boolean;

  constructor({ secrets, encrypt = true, cookie }: CookieStoreOptions) {
    this.#codec = new Codec(normalizeSecrets(secrets, "CookieStore"));
    checkCookieOptions(cookie, "CookieStore");
    this.#encrypt = encrypt;
    this.cookie = cookie;
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const opened = this.#encrypt
      ? await this.#codec.decrypt(name, cookieValue)
      : await this.#codec.verify(name, cookieValue);
    if (!opened) return undefined;
    const json = this.#encrypt ? opened.text : fromBase64url(opened.text);
    // The value was authenticated, so this shape check guards only against our own older formats.
    const payload = json === undefined ? undefined : decodeJson(json);
    if (!Array.isArray(payload)) return undefined;
    const [id, created, data] = payload as unknown[];
    if (typeof id !== "string" || typeof created !== "number" || !isRecord(data)) return undefined;
    return { id, createdAt: created * 1000, expiresAt: opened.expiresAt, data: new Map(Object.entries(data)) };
  }

  async save(name: string, write: SessionWrite): Promise<string> {
    const json = encodeJson([write.id, Math.floor(write.createdAt / 1000), Object.fromEntries(write.data)]);
    const exp = toSeconds(write.expiresAt);
    return this.#encrypt
      ? this.#codec.encrypt(name, json, exp)
      : this.#codec.sign(name, toBase64url(json), exp);
  }

  async destroy(): Promise<void> {
    // Nothing is kept server-side: deleting the cookie is all there is.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
