/**
 * The stores the conformance suite runs against under Deno and Bun (vitest: test/stores/).
 * The Upstash store joins when the spawning vitest test passes the URL and token of its test
 * endpoint (`WEB_SESSIONS_UPSTASH_URL`, `WEB_SESSIONS_UPSTASH_TOKEN`), which stays in Node.
 */
import type { StoreUnderTest } from "../conformance-suite.ts";
import { CookieStore } from "../../src/stores/cookie.ts";
import "../../src/jwt/index.ts";
import { MemoryStore } from "../../src/stores/memory.ts";
import { RedisStore } from "../../src/stores/redis.ts";
import type { RedisClientLike } from "../../src/stores/redis.ts";
import { UpstashRedisStore } from "../../src/stores/upstash.ts";
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

export function subjects(upstash?: UpstashAccess, redis?: TcpRedis): Record<string, StoreUnderTest> {
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
  return all;
}
