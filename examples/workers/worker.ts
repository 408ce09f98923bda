/**
 * A Hono app on Cloudflare Workers with a visit counter in its session. The store and its secret
 * come from the Worker's bindings: `UpstashRedisStore` when `UPSTASH_REDIS_REST_URL` and
 * `UPSTASH_REDIS_REST_TOKEN` are set, else `DurableObjectStore` when the `SESSIONS` Durable Object
 * namespace is bound (as the repository's wrangler.toml does), else the data lives in an
 * encrypted cookie.
 *
 * Run it with `npx wrangler dev` from the repository root (the development secret is in
 * `.dev.vars`); deploy after `npx wrangler secret put SESSION_SECRET`.
 */
import { Hono } from "hono";
import { CookieStore } from "../../src/index.ts";
import type { Store } from "../../src/index.ts";
import { DurableObjectStore } from "../../src/stores/durable-objects.ts";
import type { SessionsNamespace } from "../../src/stores/durable-objects.ts";
import { UpstashRedisStore } from "../../src/stores/upstash.ts";
import { getSession, withSessions } from "../../adapters/workers.ts";

// The Durable Object class behind SESSIONS: the Worker's main module must export it.
export { SessionsObject } from "../../src/stores/durable-objects.ts";

/** The Worker's bindings (wrangler.toml, secrets, `.dev.vars`). */
export interface Env {
  /** At least 32 characters; newest first, comma-separated, to rotate. */
  SESSION_SECRET: string;
  SESSIONS?: SessionsNamespace;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
}

function storeFor(env: Env): Store {
  // A missing secret gives an empty list, which the store refuses with ERR_SESSION_CONFIG.
  const secrets = env.SESSION_SECRET?.split(",") ?? [];
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env;
  if (url && token) return new UpstashRedisStore({ url, token, secrets });
  if (env.SESSIONS) return new DurableObjectStore({ namespace: env.SESSIONS, secrets });
  return new CookieStore({ secrets });
}

const app = new Hono<{ Bindings: Env }>();

app.get("/", async (c) => {
  const session = getSession<{ count: number }>(c.req.raw);
  const count = (session.get("count") ?? 0) + 1;
  session.set("count", count);
  await session.save();
  return c.json({ count });
});

export default {
  // Built once per isolate's env, not per request.
  fetch: withSessions((env: Env) => ({ store: storeFor(env) }), app.fetch),
};
