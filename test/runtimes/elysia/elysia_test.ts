// web-sessions/elysia inside Elysia under Bun: over real HTTP (app.listen) and in process (app.handle).
import { test } from "bun:test";
import { Elysia, status } from "elysia";
import { app as example } from "../../../examples/elysia/server.ts";
import { sessions } from "../../../adapters/elysia.ts";
import { MemoryStore, SessionError } from "../../../src/index.ts";
import type { Session } from "../../../src/index.ts";
import { UpstashRedisStore } from "../../../src/stores/upstash.ts";
import { assert } from "../../support/assert.ts";
import { SECRET } from "../../support/browser.ts";
import { freePort } from "../../support/free-port.ts";
import { countThreeTimes, httpGet } from "../counter-flow.ts";
import type { Get } from "../counter-flow.ts";

const memory = () => new MemoryStore({ secrets: SECRET });
const cookieOf = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]!).join("; ");
const namesOf = (response: Response) => response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf("=")));
const inProcess = (app: { handle(request: Request): Promise<Response> }): Get => (path, cookie) =>
  app.handle(new Request("http://localhost" + path, { headers: cookie ? { Cookie: cookie } : {} }));

/** A counter app: `GET /` adds one and saves. */
function counter(config: Parameters<typeof sessions>[0] = { store: memory() }) {
  return new Elysia().use(sessions<{ count: number }>(config)).get("/", async ({ session }) => {
    session.set("count", (session.get("count") ?? 0) + 1);
    await session.save();
    return { count: session.get("count") };
  });
}

test("examples/elysia counts 1, 2, 3 over real HTTP (app.listen), and its login redirect carries the new cookie", async () => {
  example.listen({ port: 0, hostname: "127.0.0.1" });
  try {
    const base = `http://127.0.0.1:${example.server!.port}`;
    await countThreeTimes(httpGet(base));
    const login = await fetch(base + "/login", { method: "POST", redirect: "manual" });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get("Location"), "/");
    assert.deepEqual(namesOf(login), ["session"]);
    const after = await fetch(base + "/", { headers: { Cookie: cookieOf(login) } });
    assert.deepEqual(await after.json(), { count: 1 });
  } finally {
    await example.stop(true);
  }
});

test("a counter counts 1, 2, 3 in process through app.handle()", async () => {
  await countThreeTimes(inProcess(counter()));
});

test("the session is typed through the generic", () => {
  new Elysia().use(sessions<{ count: number }>({ store: memory() })).get("/", ({ session, sessions: all }) => {
    const count: number | undefined = session.get("count");
    // @ts-expect-error: count is a number, not a string
    session.set("count", "one");
    const same: Session<{ count: number }> | undefined = all.session;
    return { count, same: same === session };
  });
});

test("a redirect from the context's redirect() and a Response of the handler's own both carry the Set-Cookie", async () => {
  const app = new Elysia()
    .use(sessions({ store: memory() }))
    .get("/go", async ({ session, redirect }) => {
      session.set("went", true);
      await session.save();
      return redirect("/there");
    })
    .get("/own", async ({ session }) => {
      session.set("own", true);
      await session.save();
      return new Response("own", { headers: { "Set-Cookie": "theirs=1; Path=/" } });
    });
  const go = await app.handle(new Request("http://localhost/go"));
  assert.equal(go.status, 302);
  assert.equal(go.headers.get("Location"), "/there");
  assert.deepEqual(namesOf(go), ["session"]);
  const own = await app.handle(new Request("http://localhost/own"));
  assert.equal(await own.text(), "own");
  assert.deepEqual(namesOf(own).sort(), ["session", "theirs"]);
});

test("an error after a save still carries that save's cookie; changes after it are not auto-saved", async () => {
  const app = new Elysia()
    .use(sessions({ store: memory(), autoSave: true }))
    .onError(({ error }) => new Response(`failed: ${(error as Error).message}`, { status: 500 }))
    .get("/", async ({ session }) => {
      session.set("saved", 1);
      await session.save();
      session.set("unsaved", 2);
      throw new Error("boom");
    })
    .get("/read", ({ session }) => ({ saved: session.get("saved") ?? null, unsaved: session.get("unsaved") ?? null }));
  const failed = await app.handle(new Request("http://localhost/"));
  assert.equal(failed.status, 500);
  assert.equal(await failed.text(), "failed: boom");
  assert.deepEqual(namesOf(failed), ["session"]);
  const read = await app.handle(new Request("http://localhost/read", { headers: { Cookie: cookieOf(failed) } }));
  assert.deepEqual(await read.json(), { saved: 1, unsaved: null });
  // Without an onError of the app's: Elysia's own error response carries the cookie too.
  const plain = new Elysia().use(sessions({ store: memory() })).get("/", async ({ session }) => {
    session.set("saved", 1);
    await session.save();
    throw status(418, "teapot");
  });
  const teapot = await plain.handle(new Request("http://localhost/"));
  assert.deepEqual([teapot.status, await teapot.text()], [418, "teapot"]);
  assert.deepEqual(namesOf(teapot), ["session"]);
});

test("autoSave saves a modified session of a plain value, an early beforeHandle return and a string body; a read writes nothing", async () => {
  const app = new Elysia()
    .use(sessions({ store: memory(), autoSave: true }))
    .get("/set", ({ session }) => {
      session.set("n", 7);
      return "set";
    })
    .get("/guarded", () => "unreachable", {
      beforeHandle({ session }) {
        session.set("guarded", true);
        return new Response("stopped", { status: 401 });
      },
    })
    .get("/read", ({ session }) => ({ n: session.get("n") ?? null, guarded: session.get("guarded") ?? null }));
  const set = await app.handle(new Request("http://localhost/set"));
  assert.equal(await set.text(), "set");
  assert.deepEqual(namesOf(set), ["session"]);
  const read = await app.handle(new Request("http://localhost/read", { headers: { Cookie: cookieOf(set) } }));
  assert.deepEqual(await read.json(), { n: 7, guarded: null });
  assert.deepEqual(namesOf(read), []);
  const guarded = await app.handle(new Request("http://localhost/guarded"));
  assert.equal(guarded.status, 401);
  const again = await app.handle(new Request("http://localhost/read", { headers: { Cookie: cookieOf(guarded) } }));
  assert.deepEqual(await again.json(), { n: null, guarded: true });
});

test("several names: a record by name, one cookie each; loadSession wants a name; lazy sessions load on demand", async () => {
  const app = new Elysia()
    .use(sessions({ names: ["cart", "prefs"], store: memory() }))
    .get("/", async ({ sessions: all, loadSession }) => {
      all.cart!.set("items", 2);
      await all.cart!.save();
      let unnamed = "";
      await loadSession().catch((error: SessionError) => (unnamed = error.code));
      return { prefsNew: all.prefs!.isNew, unnamed, same: (await loadSession("cart")) === all.cart };
    });
  const response = await app.handle(new Request("http://localhost/"));
  assert.deepEqual(await response.json(), { prefsNew: true, unnamed: "ERR_SESSION_MISSING", same: true });
  assert.deepEqual(namesOf(response), ["cart"]);

  const lazy = new Elysia().use(sessions({ names: ["a", "b"], store: memory(), lazy: true, seed: "lazy" })).get("/", async ({ sessions: all, loadSession }) => {
    let before = "";
    try {
      void all.a;
    } catch (error) {
      before = (error as SessionError).code;
    }
    const a = await loadSession("a");
    a.set("x", 1);
    await a.save();
    return { before, after: all.a === a };
  });
  const lazyResponse = await lazy.handle(new Request("http://localhost/"));
  assert.deepEqual(await lazyResponse.json(), { before: "ERR_SESSION_MISSING", after: true });
  assert.deepEqual(namesOf(lazyResponse), ["a"]);
});

test("a tampered or garbage cookie is a new empty session, never a 500", async () => {
  const app = counter();
  const first = await app.handle(new Request("http://localhost/"));
  const [name, value] = cookieOf(first).split("=") as [string, string];
  const flipped = value.slice(0, -2) + (value.at(-2) === "A" ? "B" : "A") + value.at(-1);
  for (const cookie of [`${name}=${flipped}`, `${name}=garbage`, `${name}=`, "session=%%%"]) {
    const response = await app.handle(new Request("http://localhost/", { headers: { Cookie: cookie } }));
    assert.equal(response.status, 200, cookie);
    assert.deepEqual(await response.json(), { count: 1 }, cookie);
  }
});

test("a store that is down fails loading and saving through Elysia's onError with ERR_SESSION_STORE", async () => {
  const url = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  const down = new UpstashRedisStore({ url, token: "token", secrets: SECRET });
  const app = new Elysia()
    .use(sessions({ store: down }))
    .onError(({ error }) => new Response(error instanceof SessionError ? error.code : "other", { status: 503 }))
    .get("/", async ({ session }) => {
      session.set("n", 1);
      await session.save();
      return "saved";
    });
  const save = await app.handle(new Request("http://localhost/"));
  assert.deepEqual([save.status, await save.text()], [503, "ERR_SESSION_STORE"]);
  assert.deepEqual(namesOf(save), []);
  // A cookie whose signature holds (the same secrets in a MemoryStore) makes loading ask the store.
  const minted = await counter({ store: memory() }).handle(new Request("http://localhost/"));
  const load = await app.handle(new Request("http://localhost/", { headers: { Cookie: cookieOf(minted) } }));
  assert.deepEqual([load.status, await load.text()], [503, "ERR_SESSION_STORE"]);
});

test("a wrong configuration throws ERR_SESSION_CONFIG when the plugin is built", () => {
  assert.throws(() => sessions({ store: memory(), names: [] }), (error: SessionError) => error.code === "ERR_SESSION_CONFIG");
  assert.throws(() => sessions({ store: memory(), name: "__Host-s", cookie: { secure: false } }), (error: SessionError) => error.code === "ERR_SESSION_CONFIG");
});

test("the plugin is global: a sub-app's routes get the session, and one cookie goes out when two sub-apps use it", async () => {
  const plugin = sessions<{ count: number }>({ store: memory() });
  const child = new Elysia().use(plugin).get("/child", async ({ session }) => {
    session.set("count", 1);
    await session.save();
    return "child";
  });
  const sibling = new Elysia().use(plugin).get("/sibling", ({ session }) => String(session.get("count") ?? 0));
  const app = new Elysia().use(child).use(sibling).get("/parent", ({ session }) => String(session.isNew));
  const response = await app.handle(new Request("http://localhost/child"));
  assert.deepEqual(namesOf(response), ["session"]);
  const sib = await app.handle(new Request("http://localhost/sibling", { headers: { Cookie: cookieOf(response) } }));
  assert.equal(await sib.text(), "1");
  assert.equal(await (await app.handle(new Request("http://localhost/parent"))).text(), "true");
});

test("Elysia's own cookies and the sessions' both go out: on a value, a Response and an error", async () => {
  const app = new Elysia()
    .use(sessions({ store: memory() }))
    .get("/value", async ({ session, cookie: { theme } }) => {
      theme!.value = "dark";
      session.set("n", 1);
      await session.save();
      return "value";
    })
    .get("/response", async ({ session, cookie: { theme } }) => {
      theme!.value = "dark";
      session.set("n", 1);
      await session.save();
      return new Response("response");
    })
    .get("/error", async ({ session, cookie: { theme } }) => {
      theme!.value = "dark";
      session.set("n", 1);
      await session.save();
      throw new Error("boom");
    });
  for (const path of ["/value", "/response", "/error"]) {
    const response = await app.handle(new Request("http://localhost" + path));
    assert.deepEqual(namesOf(response).sort(), ["session", "theme"], path);
    assert.ok(response.headers.getSetCookie().includes("theme=dark; Path=/"), path);
  }
});

test("autoSave into a store that is down fails the request through onError with ERR_SESSION_STORE", async () => {
  const down = new UpstashRedisStore({ url: `http://127.0.0.1:${await freePort()}`, token: "token", secrets: SECRET });
  const app = new Elysia()
    .use(sessions({ store: down, autoSave: true }))
    .onError(({ error }) => new Response(error instanceof SessionError ? error.code : "other", { status: 503 }))
    .get("/", ({ session }) => {
      session.set("n", 1);
      return "changed";
    });
  const response = await app.handle(new Request("http://localhost/"));
  assert.deepEqual([response.status, await response.text()], [503, "ERR_SESSION_STORE"]);
  assert.deepEqual(namesOf(response), []);
});

test("two instances with two stores add up: sessions holds both names, session is left out, each store keeps its own", async () => {
  const authStore = memory();
  const app = new Elysia()
    .use(sessions({ name: "auth", store: authStore }))
    .use(sessions({ name: "cart", store: memory() }))
    .get("/", async ({ session, sessions: all }) => {
      all.auth!.set("user", "ada");
      all.cart!.set("items", 2);
      await Promise.all([all.auth!.save(), all.cart!.save()]);
      return { session: session === undefined ? "absent" : "present", names: Object.keys(all) };
    });
  const response = await app.handle(new Request("http://localhost/"));
  assert.deepEqual(await response.json(), { session: "absent", names: ["auth", "cart"] });
  assert.deepEqual(namesOf(response).sort(), ["auth", "cart"]);
  // The auth cookie opens in its own store only.
  const authCookie = response.headers.getSetCookie().find((line) => line.startsWith("auth="))!.split(";")[0]!;
  const alone = new Elysia().use(sessions({ name: "auth", store: authStore })).get("/", ({ session }) => String(session.get("user")));
  assert.equal(await (await alone.handle(new Request("http://localhost/", { headers: { Cookie: authCookie } }))).text(), "ada");
});
