// Type-checked against the installed package's .d.ts files, as a user's project would be.
import { CookieStore, MemoryStore, SessionError, getSession, withSessions } from "web-sessions";
import type { Session, Store } from "web-sessions";
import { getSession as honoSession, manySessions, sessions } from "web-sessions/hono";
import { getSession as workersSession, loadSession as workersLoad, withSessions as workersSessions } from "web-sessions/workers";
import { getSession as denoSession, withSessions as denoSessions } from "web-sessions/deno";
import { getSession as bunSession, withSessions as bunSessions } from "web-sessions/bun";
import { UpstashRedisStore } from "web-sessions/upstash";
import { RedisStore } from "web-sessions/redis";
import type { RedisClientLike } from "web-sessions/redis";
import { deriveJwtKey, fromHonoSession } from "web-sessions/jwt";
import type { CookieReader } from "web-sessions";
import { DurableObjectStore } from "web-sessions/durable-objects";
import type { SessionsNamespace } from "web-sessions/durable-objects";
import { DenoKvStore } from "web-sessions/deno-kv";
import type { DenoKv } from "web-sessions/deno-kv";
import { PostgresStore } from "web-sessions/postgres";
import type { PostgresClientLike } from "web-sessions/postgres";
import { SqliteStore } from "web-sessions/sqlite";
import type { SqliteDatabase } from "web-sessions/sqlite";
import { storeConformance } from "web-sessions/testing";
import type { ConformanceRunner } from "web-sessions/testing";

const store: Store = new CookieStore({ secrets: "a-package-test-secret-at-least-32-chars" });
const memory: Store = new MemoryStore({ secrets: "a-package-test-secret-at-least-32-chars" });

interface Env {
  SESSION_SECRET: string;
}

export const worker = {
  fetch: workersSessions(
    (env: Env) => ({ store: new CookieStore({ secrets: env.SESSION_SECRET }) }),
    async (request, env, ctx) => {
      ctx.waitUntil(Promise.resolve());
      const session: Session<{ count: number }> = workersSession<{ count: number }>(request);
      const count: number | undefined = session.get("count");
      const loaded: Session<{ count: number }> = await workersLoad<{ count: number }>(request);
      void loaded;
      return new Response(`${env.SESSION_SECRET.length} ${count}`);
    },
  ),
};
export const denoHandler = denoSessions({ store }, (request, info) => new Response(`${denoSession(request).id} ${info.remoteAddr.transport}`));
export const bunHandler = bunSessions({ store: memory }, (request, server) => new Response(`${bunSession(request).id} ${server.requestIP(request)?.address}`));
export const plain = withSessions({ store }, (request) => new Response(getSession(request).id));
export const middlewares = [sessions("s", store), manySessions(["a", "b"], store)];
export const pick = honoSession;
export const upstash: Store = new UpstashRedisStore({ url: "https://example.upstash.io", token: "t", secrets: "a-package-test-secret-at-least-32-chars", prefix: "app:" });
export const isSessionError = (error: unknown): boolean => error instanceof SessionError && error.code === "ERR_SESSION_STORE";
const tcpClient: RedisClientLike = { sendCommand: async (args: string[]) => args.length };
export const tcp: Store = new RedisStore({ client: tcpClient, secrets: "a-package-test-secret-at-least-32-chars", owner: "userId" });
export const others = (redisStore: RedisStore): Promise<number> => redisStore.destroyAll("ada", { except: "id" });
const readers: CookieReader[] = [fromHonoSession({ secret: "the-secret-hono-session-was-given" })];
export const jwtStore: Store = new CookieStore({ secrets: "a-package-test-secret-at-least-32-chars", format: "jwt", chunks: 3, migrateFrom: readers });
export const jwtKey: Promise<Uint8Array<ArrayBuffer>> = deriveJwtKey("a-package-test-secret-at-least-32-chars");
// Workers only: type-checked with cloudflare-workers.d.ts standing in for the Workers types.
export { SessionsObject } from "web-sessions/durable-objects";
export const durable = (env: { SESSIONS: SessionsNamespace }): Store => new DurableObjectStore({ namespace: env.SESSIONS, secrets: "a-package-test-secret-at-least-32-chars", owner: "userId" });
export const denoKv = (kv: DenoKv): Promise<number> => new DenoKvStore({ kv, secrets: "a-package-test-secret-at-least-32-chars", owner: "userId" }).destroyAll("ada");
export const postgresStore = (client: PostgresClientLike): Promise<number> =>
  new PostgresStore({ client, secrets: "a-package-test-secret-at-least-32-chars", table: "app.sessions", owner: "userId" }).prune();
export const sqlite = (db: SqliteDatabase): Promise<number> => new SqliteStore({ db, secrets: "a-package-test-secret-at-least-32-chars", table: "sessions" }).prune();
export const prove = (runner: ConformanceRunner): void =>
  storeConformance(runner, "MemoryStore", {
    make: (secrets = ["a-package-test-secret-at-least-32-chars"], options) => new MemoryStore({ secrets, ...options }),
    serverSide: true,
    sharedBackend: false,
  });
