/**
 * The stores the conformance suite runs against under Deno and Bun (vitest: test/stores/).
 * The Upstash store joins when the spawning vitest test passes the URL and token of its test
 * endpoint (`WEB_SESSIONS_UPSTASH_URL`, `WEB_SESSIONS_UPSTASH_TOKEN`), which stays in Node.
 */
import type { StoreUnderTest } from "../../testing/index.ts";
import { CookieStore } from "../../src/stores/cookie.ts";
import "../../src/jwt/index.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { UpstashRedisStore } from "../../src/stores/upstash.ts";
import { DenoKvStore } from "../../src/stores/deno-kv.ts";
import type { DenoKv } from "../../src/stores/deno-kv.ts";
import { SECRET } from "../support/browser.ts";

export interface UpstashAccess {
  url: string;
  token: string;
}

/** The environment variables that carry an `UpstashAccess` to a child process. */
export const UPSTASH_ENV = { url: "WEB_SESSIONS_UPSTASH_URL", token: "WEB_SESSIONS_UPSTASH_TOKEN" } as const;

/** The environment variable that carries the test Redis's `redis://` URL to a child process. */
export const REDIS_ENV = "WEB_SESSIONS_REDIS_URL";

/** A runtime's own Redis client over TCP, for the RedisStore's conformance run. */
export interface TcpRedis {
  /** What the client is, for the suite's label. */
  label: string;
  client: () => RedisClientLike;
}

/** Reads an `UpstashAccess` from a runtime's environment variables, if they are there. */
export function upstashFromEnv(env: Record<string, string | undefined>): UpstashAccess | undefined {
  const url = env[UPSTASH_ENV.url];
  const token = env[UPSTASH_ENV.token];
  return url && token ? { url, token } : undefined;
}

/** A runtime's Deno KV database (`Deno.openKv()`, or `openKv()` from @deno/kv), for the DenoKvStore's run. */
export interface DenoKvAccess {
  label: string;
  kv: DenoKv;
}

export function subjects(upstash?: UpstashAccess, redis?: TcpRedis, denoKv?: DenoKvAccess): Record<string, StoreUnderTest> {
  const all: Record<string, StoreUnderTest> = {
    "CookieStore (encrypted)": {
      make: (secrets = [SECRET]) => new CookieStore({ secrets }),
      serverSide: false,
      sharedBackend: true,
    },
    "CookieStore (signed only)": {
      make: (secrets = [SECRET]) => new CookieStore({ secrets, encrypt: false }),
      serverSide: false,
      sharedBackend: true,
    },
    "CookieStore (format: jwt, chunks: 3)": {
      make: (secrets = [SECRET]) => new CookieStore({ secrets, format: "jwt", chunks: 3 }),
      serverSide: false,
      sharedBackend: true,
    },
    MemoryStore: {
      make: (secrets = [SECRET], options) => new MemoryStore({ secrets, ...options }),
      serverSide: true,
      sharedBackend: false,
    },
  };
  if (upstash) {
    // One prefix per run, shared by the stores it makes, as instances of one app share Redis.
    const prefix = `test:runtime:${crypto.randomUUID()}:`;
    all["UpstashRedisStore (url and token)"] = {
      make: (secrets = [SECRET], options) => new UpstashRedisStore({ ...upstash, secrets, prefix, ...options }),
      serverSide: true,
      sharedBackend: true,
    };
  }
  if (redis) {
    const prefix = `test:runtime:${crypto.randomUUID()}:`;
    all[`RedisStore (${redis.label})`] = {
      make: (secrets = [SECRET], options) => new RedisStore({ client: redis.client(), secrets, prefix, ...options }),
      serverSide: true,
      sharedBackend: true,
    };
  }
  if (denoKv) all[`DenoKvStore (${denoKv.label})`] = denoKvSubject(denoKv.kv);
  return all;
}

/** DenoKvStore on `kv`, under a fresh prefix: the stores it makes share it, as instances of one app do. */
export function denoKvSubject(kv: DenoKv): StoreUnderTest {
  const prefix = ["test", crypto.randomUUID()];
  return {
    make: (secrets = [SECRET], options) => new DenoKvStore({ kv, secrets, prefix, cookie: { maxAge: DENO_KV_MAX_AGE }, ...options }),
    serverSide: true,
    sharedBackend: true,
  };
}

/**
 * Seconds, the DenoKvStore runs' cookie lifetime: @deno/kv 0.14's in-memory database schedules
 * expiry with one setTimeout, which Node and Bun cut to 1 ms past 2^31 - 1 ms (24.8 days), so the
 * default 30 days would make it spin on every write.
 */
export const DENO_KV_MAX_AGE = 7 * 24 * 3600;
