/**
 * `UpstashRedisStore`: sessions in Redis over HTTP (the Upstash REST protocol), shared by every
 * instance of an app, usable where TCP is not (Workers, Deno Deploy). The cookie carries only a
 * signed id.
 *
 * Each session is one Redis hash. Saves write only what changed, in one `MULTI`/`EXEC` request with
 * the TTL, so concurrent requests on one session keep each other's keys. Fields:
 * - `m:c`: when the session was created;
 * - `d:<key>`: a data value;
 * - `f:<flash id>:<key>`: one flash, so taking flashes deletes exactly those that were read.
 * Every field name and value starts with a character JSON cannot start with: a client's automatic
 * JSON parsing leaves them alone, and values come back exactly as they were stored.
 *
 * @module
 */

// The Cloudflare build is the fetch-only one: it reads no `process.env`, so it runs on every runtime.
import { Redis } from "@upstash/redis/cloudflare";
import { Codec, isSignedShape, normalizeSecrets } from "../codec.ts";
import { SessionError, assertConfig } from "../errors.ts";
import { checkCookieOptions } from "../options.ts";
import type { CookieOptions } from "../options.ts";
import type { SessionWrite, Store, StoredSession } from "../store.ts";
import { decodeJson, encodeJson, toSeconds } from "./json.ts";

/** The client calls this store makes; an `@upstash/redis` `Redis` from any of its entry points has them. */
export interface UpstashClient {
  exec: Redis["exec"];
  multi: Redis["multi"];
  del: Redis["del"];
}

interface CommonOptions {
  /** One secret, or several newest first, that sign the session id. Each at least 32 characters. */
  secrets: string | readonly string[];
  /** Prepended to every Redis key. @default "session:" */
  prefix?: string;
  /** Cookie options for sessions in this store. */
  cookie?: CookieOptions;
  /** Milliseconds any one call may take, retries included, before it rejects with `ERR_SESSION_STORE`. @default 5000 */
  timeout?: number;
}

/** Options of {@link UpstashRedisStore}: a REST URL and token, or a client of your own. */
export type UpstashRedisStoreOptions = CommonOptions &
  (
    | {
        /** The REST URL (`UPSTASH_REDIS_REST_URL`). */
        url: string;
        /** The REST token (`UPSTASH_REDIS_REST_TOKEN`). */
        token: string;
        /** Retries after a network error, with exponential backoff. @default 2 */
        retries?: number;
        client?: never;
      }
    | {
        /** An `@upstash/redis` client, configured as you like (automatic JSON parsing may stay on). */
        client: UpstashClient;
        url?: never;
        token?: never;
        retries?: never;
      }
  );

const CREATED = "m:c";
const DATA = "d:";
const FLASH = "f:";
// Prefix of every stored value: JSON.parse fails on it, so no client turns "123" into 123.
const VALUE = "=";

/**
 * Sessions in Redis over HTTP. One HTTP request to load a session, one to save it (TTL included),
 * none for a request without a valid signed cookie.
 *
 * @example
 * ```ts
 * import { UpstashRedisStore } from "web-sessions/upstash";
 *
 * const store = new UpstashRedisStore({
 *   url: env.UPSTASH_REDIS_REST_URL,
 *   token: env.UPSTASH_REDIS_REST_TOKEN,
 *   secrets: env.SESSION_SECRET,
 * });
 * ```
 */
export class UpstashRedisStore implements Store {
  readonly cookie: CookieOptions | undefined;
  readonly #codec: Codec;
  readonly #client: UpstashClient;
  readonly #prefix: string;
  readonly #timeout: number;

  constructor(options: UpstashRedisStoreOptions) {
    const { secrets, prefix = "session:", cookie, timeout = 5000 } = options;
    this.#codec = new Codec(normalizeSecrets(secrets, "UpstashRedisStore"));
    assertConfig(typeof prefix === "string", "UpstashRedisStore: prefix must be a string");
    assertConfig(Number.isFinite(timeout) && timeout > 0, "UpstashRedisStore: timeout must be a positive number of milliseconds");
    checkCookieOptions(cookie, "UpstashRedisStore");
    this.#prefix = prefix;
    this.#timeout = timeout;
    this.cookie = cookie;
    this.#client = options.client ?? createClient(options.url, options.token, options.retries ?? 2, timeout);
    assertConfig(
      typeof this.#client.exec === "function" && typeof this.#client.multi === "function",
      "UpstashRedisStore: client must be an @upstash/redis Redis",
    );
  }

  isWellFormed(cookieValue: string): boolean {
    return isSignedShape(cookieValue);
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    // A forged, foreign or expired cookie is turned away here, before any HTTP request.
    const opened = await this.#codec.verify(name, cookieValue);
    if (!opened) return undefined;
    const id = opened.text;
    const fields = await this.#call("load", () => this.#client.exec<unknown>(["hgetall", this.#prefix + id]));
    if (!Array.isArray(fields) || fields.length === 0) return undefined;
    return parseHash(id, fields, opened.expiresAt);
  }

  async save(name: string, write: SessionWrite): Promise<string> {
    const key = this.#prefix + write.id;
    const fields = write.cleared || write.previousId ? wholeSession(write) : changedFields(write);
    const removed = write.cleared || write.previousId ? [] : removedFields(write);
    await this.#call("save", () => {
      const transaction = this.#client.multi();
      // A cleared session starts over; a regenerated one's key is new, so there is nothing to drop.
      if (write.cleared && !write.previousId) transaction.del(key);
      transaction.hset(key, fields);
      if (removed.length > 0) transaction.hdel(key, ...removed);
      // The entry dies when the cookie does: the TTL never passes the session's maxAge.
      transaction.pexpireat(key, write.expiresAt);
      if (write.previousId) transaction.del(this.#prefix + write.previousId);
      return transaction.exec();
    });
    return this.#codec.sign(name, write.id, toSeconds(write.expiresAt));
  }

  async destroy(_name: string, id: string): Promise<void> {
    await this.#call("destroy", () => this.#client.del(this.#prefix + id));
  }

  /** Runs one client call within the timeout; any failure becomes `ERR_SESSION_STORE`. */
  async #call<T>(action: string, run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SessionError("ERR_SESSION_STORE", `Redis did not answer the ${action} within ${this.#timeout} ms`)),
        this.#timeout,
      );
    });
    try {
      return await Promise.race([run(), timedOut]);
    } catch (error) {
      if (error instanceof SessionError) throw error;
      throw new SessionError("ERR_SESSION_STORE", `could not ${action} the session in Redis`, { cause: redact(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}

function createClient(url: string, token: string, retries: number, timeout: number): UpstashClient {
  assertConfig(typeof url === "string" && /^https?:\/\/\S+$/.test(url), "UpstashRedisStore: url must be an http(s) URL");
  assertConfig(typeof token === "string" && token.trim() !== "", "UpstashRedisStore: token must not be empty");
  assertConfig(Number.isInteger(retries) && retries >= 0, "UpstashRedisStore: retries must be a whole number");
  return new Redis({
    url,
    token,
    automaticDeserialization: false,
    // One command per HTTP request: the round trips are what the store says they are.
    enableAutoPipelining: false,
    enableTelemetry: false,
    retry: { retries },
    // A function: the client throws on abort (with a plain signal it would answer "Aborted" as a result).
    signal: () => AbortSignal.timeout(timeout),
  });
}

/** Every field of a session written whole (new id, cleared). */
function wholeSession(write: SessionWrite): Record<string, string> {
  const fields: Record<string, string> = { [CREATED]: VALUE + write.createdAt };
  for (const [key, value] of write.data) {
    const ids = write.flashIds.get(key);
    if (ids && Array.isArray(value) && ids.length === value.length) {
      ids.forEach((id, i) => (fields[FLASH + id + ":" + key] = VALUE + encodeJson(value[i])));
    } else {
      fields[DATA + key] = VALUE + encodeJson(value);
    }
  }
  return fields;
}

/** The fields a save sets: changed data keys and added flashes. */
function changedFields(write: SessionWrite): Record<string, string> {
  // The creation time goes along every time, so an entry that expired meanwhile is whole again.
  const fields: Record<string, string> = { [CREATED]: VALUE + write.createdAt };
  for (const key of write.changed) {
    if (write.flashIds.has(key)) continue;
    fields[DATA + key] = VALUE + encodeJson(write.data.get(key));
  }
  for (const [key, { added }] of write.flashes) {
    for (const [id, value] of added) fields[FLASH + id + ":" + key] = VALUE + encodeJson(value);
  }
  return fields;
}

/** The fields a save deletes: deleted data keys and taken flashes. */
function removedFields(write: SessionWrite): string[] {
  const removed = [...write.deleted].map((key) => DATA + key);
  for (const [key, { taken }] of write.flashes) {
    // Flashes replace a plain value that was stored under the same key.
    if (write.flashIds.has(key)) removed.push(DATA + key);
    for (const id of taken) removed.push(FLASH + id + ":" + key);
  }
  return removed;
}

/** Reads HGETALL's flat `[field, value, ...]` reply. */
function parseHash(id: string, fields: unknown[], expiresAt: number): StoredSession | undefined {
  const data = new Map<string, unknown>();
  const flashes = new Map<string, [id: string, value: unknown][]>();
  let createdAt: number | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const field = String(fields[i]);
    const raw = String(fields[i + 1]);
    if (!raw.startsWith(VALUE)) continue;
    const value = decodeJson(raw.slice(VALUE.length));
    if (value === undefined) continue;
    if (field === CREATED) createdAt = Number(value);
    else if (field.startsWith(DATA)) data.set(field.slice(DATA.length), value);
    else if (field.startsWith(FLASH)) {
      const colon = field.indexOf(":", FLASH.length);
      if (colon < 0) continue;
      const key = field.slice(colon + 1);
      const list = flashes.get(key) ?? [];
      list.push([field.slice(FLASH.length, colon), value]);
      flashes.set(key, list);
    }
  }
  if (createdAt === undefined || !Number.isFinite(createdAt)) return undefined;
  const flashIds = new Map<string, string[]>();
  for (const [key, list] of flashes) {
    // Flash ids sort in the order the flashes were added.
    list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    data.set(key, list.map(([, value]) => value));
    flashIds.set(key, list.map(([flashId]) => flashId));
  }
  return { id, data, createdAt, expiresAt, flashIds };
}

/**
 * `@upstash/redis` puts the whole command in its error messages ("command was: [...]"), and a
 * save's command holds session data: that must not reach logs through `cause`.
 */
function redact(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const marker = ", command was: ";
  for (const property of ["message", "stack"] as const) {
    const text = error[property];
    const at = text?.indexOf(marker) ?? -1;
    if (text && at >= 0) {
      const end = property === "stack" ? text.indexOf("\n", at) : -1;
      error[property] = text.slice(0, at) + (end >= 0 ? text.slice(end) : "");
    }
  }
  // UpstashJSONParseError quotes up to 200 characters of a response body that is not JSON (a proxy's
  // page may echo the command), and its cause, JSON.parse's SyntaxError, quotes the body's start.
  const body = "Unable to parse response body: ";
  if (error.name === "UpstashJSONParseError" && error.message.startsWith(body)) {
    const message = `${body}[redacted]`;
    if (error.stack) error.stack = error.stack.replace(error.message, message);
    error.message = message;
    delete error.cause;
  }
  return error;
}
