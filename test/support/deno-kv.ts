/**
 * What DenoKvStore's own cases share: a database that counts (and can interfere with) the calls
 * the store makes, the app they drive, and a look at the keys the store wrote.
 */
import { Hono } from "hono";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import { DenoKvStore } from "../../src/stores/deno-kv.ts";
import type { DenoKv, DenoKvAtomic, DenoKvKey } from "../../src/stores/deno-kv.ts";
import { SECRET } from "./browser.ts";
import { DENO_KV_MAX_AGE } from "../runtimes/subjects.ts";

export type It = (name: string, body: () => Promise<void>) => void;
/** A database as the runtime opens it (both kinds can be closed). */
export type OpenDenoKv = () => Promise<DenoKv & { close(): void }>;

export interface Counts {
  get: number;
  getMany: number;
  list: number;
  commit: number;
  conflicts: number;
}

/** Deno KV's limit on the keys of one getMany (Deno.openKv refuses more; @deno/kv does not check). */
const GET_MANY_KEYS = 10;

/**
 * The database as the store sees it, with each call counted and each `set` recorded with its
 * `expireIn`; `beforeCommit` runs before every commit (a second writer, for the retry bound).
 * Every call goes to the real database; a getMany of more keys than Deno KV takes throws, as there.
 */
export function observed(
  kv: DenoKv,
  beforeCommit: () => Promise<void> = async () => {},
): { kv: DenoKv; counts: Counts; sets: Array<{ key: DenoKvKey; expireIn: number | undefined }> } {
  const counts: Counts = { get: 0, getMany: 0, list: 0, commit: 0, conflicts: 0 };
  const sets: Array<{ key: DenoKvKey; expireIn: number | undefined }> = [];
  const wrap = (operation: DenoKvAtomic): DenoKvAtomic => ({
    check: (...checks) => wrap(operation.check(...checks)),
    set: (key, value, options) => (sets.push({ key, expireIn: options?.expireIn }), wrap(operation.set(key, value, options))),
    delete: (key) => wrap(operation.delete(key)),
    async commit() {
      await beforeCommit();
      counts.commit++;
      const result = await operation.commit();
      if (!result.ok) counts.conflicts++;
      return result;
    },
  });
  return {
    counts,
    sets,
    kv: {
      get: (key) => (counts.get++, kv.get(key)),
      getMany: (keys) => {
        counts.getMany++;
        if (keys.length > GET_MANY_KEYS) throw new TypeError(`getMany of ${keys.length} keys: Deno KV takes at most ${GET_MANY_KEYS}`);
        return kv.getMany(keys);
      },
      list: (selector) => (counts.list++, kv.list(selector)),
      atomic: () => wrap(kv.atomic()),
    },
  };
}

export function kvApp(store: DenoKvStore): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.post("/set/:key/:value", async (c) => {
    getSession(c).set(c.req.param("key"), c.req.param("value"));
    await getSession(c).save();
    return c.json({ id: getSession(c).id });
  });
  app.post("/destroy", async (c) => {
    await getSession(c).destroy();
    return c.json({});
  });
  app.get("/get/:key", (c) => c.json({ value: getSession(c).get(c.req.param("key")) ?? null, isNew: getSession(c).isNew }));
  app.onError((error, c) => c.json({ code: error instanceof SessionError ? error.code : String(error) }, 503));
  return app;
}

/** A store on `kv` under its own prefix, as the cases make them. */
export const kvStore = (kv: DenoKv, prefix: DenoKvKey = ["test", crypto.randomUUID()], owner?: string) =>
  new DenoKvStore({ kv, secrets: SECRET, prefix, owner, cookie: { maxAge: DENO_KV_MAX_AGE } });

export async function keysUnder(kv: DenoKv, prefix: DenoKvKey): Promise<unknown[][]> {
  const keys: unknown[][] = [];
  for await (const { key } of kv.list({ prefix })) keys.push([...key].slice(prefix.length));
  return keys;
}
