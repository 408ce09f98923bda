/**
 * `UpstashRedisStore`: sessions in Redis over HTTP (the Upstash REST protocol), shared by every
 * instance of an app, usable where TCP is not (Workers, Deno Deploy). The cookie carries only a
 * signed id.
 *
 * A thin transport over the Redis driver of the server-store engine (src/server-store/redis/):
 * each session is one hash, each save one atomic script sent by `EVALSHA` in one HTTP request (a
 * save that names a new owner first adds the id to the owner's index: one more).
 * `RedisStore` (`web-sessions/redis`) uses the same keys and scripts over TCP.
 *
 * @module
 */

// The Cloudflare build is the fetch-only one: it reads no `process.env`, so it runs on every runtime.
import { Redis } from "@upstash/redis/cloudflare";
import { assertConfig } from "../errors.ts";
import { RedisDriver } from "../server-store/redis/driver.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

/** The client calls this store makes; an `@upstash/redis` `Redis` from any of its entry points has them. */
export interface UpstashClient {
  exec: Redis["exec"];
}

interface CommonOptions extends ServerStoreOptions {
  /** Prepended to every Redis key. @default "session:" */
  prefix?: string;
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

/**
 * Sessions in Redis over HTTP. One HTTP request to load a session, one to save it (TTL and owner
 * index included), none for a request without a valid signed cookie. With `owner`, `list()` and
 * `destroyAll()` work on the sessions of one user.
 *
 * @example
 * ```ts
 * import { UpstashRedisStore } from "web-sessions/upstash";
 *
 * const store = new UpstashRedisStore({
 *   url: env.UPSTASH_REDIS_REST_URL,
 *   token: env.UPSTASH_REDIS_REST_TOKEN,
 *   secrets: env.SESSION_SECRET,
 *   owner: "userId",
 * });
 * ```
 */
export class UpstashRedisStore extends ServerStore {
  protected readonly driver: RedisDriver;

  constructor(options: UpstashRedisStoreOptions) {
    super(options, "UpstashRedisStore");
    const { prefix = "session:", timeout = 5000 } = options;
    assertConfig(typeof prefix === "string", "UpstashRedisStore: prefix must be a string");
    assertConfig(Number.isFinite(timeout) && timeout > 0, "UpstashRedisStore: timeout must be a positive number of milliseconds");
    const client = options.client ?? createClient(options.url, options.token, options.retries ?? 2, timeout);
    assertConfig(client && typeof client.exec === "function", "UpstashRedisStore: client must be an @upstash/redis Redis");
    const send = (args: string[]) => client.exec<unknown>(args as [string, ...string[]]);
    // Upstash answers for a whole database, as one Redis: a script may name many keys.
    this.driver = new RedisDriver({ send, prefix, timeout, cluster: false, redact });
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
