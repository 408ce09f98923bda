/**
 * `CookieStore`: the whole session inside the cookie, encrypted (default) or signed.
 *
 * @module
 */

import { DEFAULT_MAX_HEADER_BYTES, MAX_CHUNKS } from "../chunks.ts";
import { Codec, fromBase64url, isSealedShape, isSignedShape, normalizeSecrets, toBase64url, toSeconds } from "../codec.ts";
import type { Opened } from "../codec.ts";
import { assertConfig } from "../errors.ts";
import { checkCookieOptions } from "../options.ts";
import type { CookieOptions } from "../options.ts";
import type { SessionWrite, Store, StoredSession } from "../store.ts";
import { registeredCookieFormat } from "./cookie-format.ts";
import type { CookieFormat, CookieReader } from "./cookie-format.ts";
import { copyJson, decodeJson, encodeJson, isCopyable, setOwn } from "../json.ts";

// What the cookie holds: `id "." created data`, with `created` in Unix seconds and the data a JSON
// object. 11 bytes shorter than the JSON array `["id",created,{...}]` it replaces, and the
// cookie's size counts on every request.
const HEAD = /^([A-Za-z0-9_-]+)\.(\d{1,15})(?=\{)/;

/** A session opened once, kept with its cached value for the next request carrying the same cookie. */
interface Decoded {
  id: string;
  createdAt: number;
  // The data as two arrays, walked faster than a Map's entries (no pair per entry). Its values
  // nest only a few levels (isCopyable): copying them is cheaper than parsing the JSON.
  keys: readonly string[];
  values: readonly unknown[];
}

// What `decoded` holds after a value's first read, until the second keeps its session.
const READ_ONCE = Symbol("read once");

/** A copy of kept data for one request: objects and arrays copied too, so none is shared. */
function copyData({ keys, values }: Decoded): Map<string, unknown> {
  const copy = new Map<string, unknown>();
  for (let i = 0; i < keys.length; i++) copy.set(keys[i]!, copyJson(values[i]));
  return copy;
}

/** Options of {@link CookieStore}. */
export interface CookieStoreOptions {
  /** One secret, or several newest first (old ones still open cookies). Each at least 32 characters. */
  secrets: string | readonly string[];
  /** Encrypt the contents (AES-256-GCM). `false` only signs them: readable by the client, not changeable. @default true */
  encrypt?: boolean;
  /** Cookie options for sessions in this store. */
  cookie?: CookieOptions;
  /**
   * Split a session too large for one cookie over up to this many: `session`, `session.1`, ...,
   * each whole `Set-Cookie` line within 4096 bytes. Past them `save()` still rejects with
   * `ERR_SESSION_COOKIE_TOO_LARGE`. At most 10. @default 1
   */
  chunks?: number;
  /**
   * With `chunks`, the most bytes one session's cookies may add to the `Cookie` header, all chunks
   * together (each `name=value` and the `; ` between them). Past it `save()` rejects with
   * `ERR_SESSION_COOKIE_TOO_LARGE`: many servers refuse a header line over 8 KB (nginx's default
   * `large_client_header_buffers`) with 431 before the app runs, and a user holding such a cookie
   * could not even reach a logout route. Raise it only if every server and proxy in front of the
   * app accepts more. @default 8192
   */
  maxHeaderBytes?: number;
  /**
   * `"compact"`: this library's own format, the shortest and fastest. `"jwt"`: a standard JWT any
   * JOSE library reads (a JWE `dir`/`A256GCM`, or a JWS `HS256` with `encrypt: false`), with the key
   * from `deriveJwtKey`; needs `import "web-sessions/jwt"` (which loads jose) somewhere in the app.
   * @default "compact"
   */
  format?: "compact" | "jwt";
  /** Readers of other libraries' cookies, tried in order when a value does not open in this format. */
  migrateFrom?: readonly CookieReader[];
  /**
   * How many cookie values this store sealed or opened it keeps opened in memory (least recently
   * used dropped first), so a request carrying one of them skips the decrypt or verify and the JSON
   * parse: for a 10-field session about 0.8 KB each for a value it sealed, 1.6 KB for one read
   * twice or more (its parsed session is kept too; bench/cache-memory.ts). `0` turns it off. The
   * compact format only: `format: "jwt"` values are opened by jose every time. @default 1000
   */
  cache?: number;
}

/**
 * Keeps all session data in the cookie itself: no server state, so any instance can serve any
 * request. The cookie (name and value) must stay within 4096 bytes, or within `chunks` cookies
 * and `maxHeaderBytes` together, else `save()` rejects with `ERR_SESSION_COOKIE_TOO_LARGE`. A session cannot be revoked before it
 * expires: use a server store where logout must end the session everywhere.
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
  readonly chunks: number;
  readonly maxHeaderBytes: number;
  readonly #codec: Codec;
  readonly #encrypt: boolean;
  // Set for format "jwt"; the compact format is the code below.
  readonly #format: CookieFormat | undefined;
  readonly #readers: readonly CookieReader[];

  constructor({ secrets, encrypt = true, cookie, chunks = 1, maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES, format = "compact", migrateFrom = [], cache = 1000 }: CookieStoreOptions) {
    assertConfig(Number.isInteger(cache) && cache >= 0, "CookieStore: cache must be a whole number of entries (0 turns it off)");
    const list = normalizeSecrets(secrets, "CookieStore");
    this.#codec = new Codec(list, "data", cache);
    checkCookieOptions(cookie, "CookieStore");
    assertConfig(Number.isInteger(chunks) && chunks >= 1 && chunks <= MAX_CHUNKS, `CookieStore: chunks must be an integer from 1 to ${MAX_CHUNKS}`);
    assertConfig(Number.isInteger(maxHeaderBytes) && maxHeaderBytes > 0, "CookieStore: maxHeaderBytes must be a positive whole number of bytes");
    assertConfig(format === "compact" || format === "jwt", `CookieStore: format must be "compact" or "jwt"`);
    if (format === "jwt") {
      const factory = registeredCookieFormat("jwt");
      assertConfig(factory, `CookieStore: format "jwt" needs jose: import "web-sessions/jwt" once in the app`);
      this.#format = factory({ secrets: list, encrypt });
    }
    this.#encrypt = encrypt;
    assertConfig(migrateFrom.every((reader) => typeof reader?.read === "function"), "CookieStore: migrateFrom takes readers such as fromHonoSession() from web-sessions/jwt");
    this.#readers = [...migrateFrom];
    this.cookie = cookie;
    this.chunks = chunks;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  isWellFormed(cookieValue: string): boolean {
    if (this.#format ? this.#format.isWellFormed(cookieValue) : this.#isCompact(cookieValue)) return true;
    return this.#readers.some((reader) => reader.isWellFormed?.(cookieValue) ?? true);
  }

  /**
   * Whether a value has the compact format's shape and names one of this store's keys. A value the
   * cache holds has both: looking it up is cheaper than the shape's regular expression over a
   * 400-character value (0.4 µs, Node 20).
   */
  #isCompact(cookieValue: string): boolean {
    if (this.#codec.holds(cookieValue)) return true;
    return (this.#encrypt ? isSealedShape(cookieValue) : isSignedShape(cookieValue)) && this.#codec.namesKnownKey(cookieValue);
  }

  load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const stored = this.loadNow(name, cookieValue);
    return stored ? Promise.resolve(stored) : this.#load(name, cookieValue);
  }

  /** A value this store sealed or opened before, still valid: no crypto and no await on the way. */
  loadNow(name: string, cookieValue: string): StoredSession | undefined {
    const hit = this.#format ? undefined : this.#codec.cached(name, cookieValue);
    return hit && this.#session(hit);
  }

  async #load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const opened = this.#format ? await this.#format.open(name, cookieValue) : await this.#open(name, cookieValue);
    if (opened || this.#readers.length === 0) return opened;
    for (const reader of this.#readers) {
      const foreign = await reader.read(name, cookieValue);
      if (foreign) return foreign;
    }
    return undefined;
  }

  /** Opens a value of the compact format. */
  async #open(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const opened = this.#encrypt
      ? await this.#codec.decrypt(name, cookieValue)
      : await this.#codec.verify(name, cookieValue);
    return opened && this.#session(opened);
  }

  /**
   * The session an opened value holds, with data of its own: each request may change its copy.
   * From the second time a value is opened its session is kept with it (`decoded`), so later hits
   * copy it instead of parsing JSON again (measured on Node 20, 10 keys: 1.9 µs less a read).
   * Not the first time: on a route that saves on every request each value is read once, and
   * keeping a copy would cost 0.45-0.6 µs (Node, Deno, Bun) and memory the cache holds for nothing.
   * Values nested deeper than a few levels are parsed every time instead.
   */
  #session(opened: Opened): StoredSession | undefined {
    const decoded = opened.decoded as Decoded | typeof READ_ONCE | undefined;
    if (decoded && decoded !== READ_ONCE) return { id: decoded.id, createdAt: decoded.createdAt, expiresAt: opened.expiresAt, data: copyData(decoded) };
    const text = this.#encrypt ? opened.text : fromBase64url(opened.text);
    // The value was authenticated, so these checks guard only against our own older formats.
    const match = text === undefined ? null : HEAD.exec(text);
    if (!match) return undefined;
    const data = decodeJson(text!.slice(match[0].length));
    if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
    // Object.keys and a loop, not new Map(Object.entries()): 0.4 µs less for 10 keys (no pair arrays).
    const values = new Map<string, unknown>();
    for (const key of Object.keys(data)) values.set(key, (data as Record<string, unknown>)[key]);
    const id = match[1]!;
    const createdAt = Number(match[2]) * 1000;
    if (decoded === undefined) {
      opened.decoded = READ_ONCE;
    } else {
      const kept = [...values.values()];
      if (kept.every((value) => isCopyable(value))) opened.decoded = { id, createdAt, keys: [...values.keys()], values: kept.map(copyJson) } satisfies Decoded;
    }
    return { id, createdAt, expiresAt: opened.expiresAt, data: values };
  }

  async save(name: string, write: SessionWrite): Promise<string> {
    if (this.#format) return this.#format.seal(name, { id: write.id, createdAt: write.createdAt, expiresAt: write.expiresAt, data: toObject(write.data) });
    const text = `${write.id}.${Math.floor(write.createdAt / 1000)}${encodeJson(toObject(write.data))}`;
    const exp = toSeconds(write.expiresAt);
    return this.#encrypt ? this.#codec.encrypt(name, text, exp) : this.#codec.sign(name, toBase64url(text), exp);
  }

  async destroy(): Promise<void> {
    // Nothing is kept server-side: deleting the cookie is all there is.
  }
}

/**
 * The data as a plain object for JSON.stringify. A loop rather than Object.fromEntries: measured on
 * Node 20 with 10 keys, fromEntries takes 1.3 µs and leaves an object JSON.stringify walks slower
 * (2.5 µs for both, against 1.3 µs this way).
 */
function toObject(data: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of data) setOwn(object, key, value);
  return object;
}
