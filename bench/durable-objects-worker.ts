/**
 * The Worker bench/durable-objects.ts runs in workerd: `GET /measure?requests=N` sends N requests
 * of the bench's login-profile handler, one after another with the cookie coming back, through a
 * DurableObjectStore, and answers what each cost (RPC calls, milliseconds in load + save, whole).
 */
import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import type { SessionWrite, Store, StoredSession } from "../src/index.ts";
import { DurableObjectStore } from "../src/stores/durable-objects.ts";
import type { SessionsNamespace } from "../src/stores/durable-objects.ts";
import { LOGIN, PROFILE_KEYS, SECRET } from "./fixture.ts";
import type { Profile } from "./fixture.ts";

export { SessionsObject } from "../src/stores/durable-objects.ts";

/** Counts RPC calls through the namespace and times the store's load and save calls. */
class Measured implements Store {
  calls = 0;
  spent = 0;
  readonly #inner: Store;

  constructor(namespace: SessionsNamespace) {
    const get = (id: never) => {
      const stub = namespace.get(id) as Record<string, (...args: unknown[]) => unknown>;
      return new Proxy(stub, { get: (target, method) => (...args: unknown[]) => (this.calls++, target[method as string]!(...args)) });
    };
    this.#inner = new DurableObjectStore({ namespace: { idFromName: (name) => namespace.idFromName(name), get }, secrets: SECRET });
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    const start = performance.now();
    try {
      return await this.#inner.load(name, cookieValue);
    } finally {
      this.spent += performance.now() - start;
    }
  }

  async save(name: string, write: SessionWrite): Promise<string | undefined> {
    const start = performance.now();
    try {
      return await this.#inner.save(name, write);
    } finally {
      this.spent += performance.now() - start;
    }
  }

  destroy(name: string, id: string): Promise<void> {
    return this.#inner.destroy(name, id);
  }
}

/** The bench's handler (bench/variants.ts, webSessionsApp): the 10-field profile, a counter. */
function profileApp(store: Store): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.get("/", async (c) => {
    const session = getSession<Profile>(c);
    if (session.isNew) for (const key of PROFILE_KEYS) session.set(key, LOGIN[key]);
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    await session.save();
    return c.json({ count });
  });
  return app;
}

export default {
  async fetch(request: Request, env: { SESSIONS: SessionsNamespace }): Promise<Response> {
    const requests = Number(new URL(request.url).searchParams.get("requests") ?? 100);
    const store = new Measured(env.SESSIONS);
    const app = profileApp(store);
    let cookie = "";
    const storeMs: number[] = [];
    const requestMs: number[] = [];
    let calls = 0;
    // One warm-up request creates the session; every measured one loads and saves it.
    for (let i = -1; i < requests; i++) {
      store.calls = 0;
      store.spent = 0;
      const start = performance.now();
      const response = await app.request("/", { headers: cookie ? { Cookie: cookie } : {} });
      const line = response.headers.getSetCookie()[0];
      if (line) cookie = line.split(";")[0]!;
      await response.arrayBuffer();
      if (i < 0) continue;
      requestMs.push(performance.now() - start);
      storeMs.push(store.spent);
      calls += store.calls;
    }
    return Response.json({ requests, calls, storeMs, requestMs });
  },
};
