// src/session-context.ts: the context object the Elysia and SvelteKit adapters hand to handlers.
import { describe, expect, it } from "vitest";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { SessionsConfig } from "../src/jar.ts";
import { sessionContext } from "../src/session-context.ts";
import { attachSessions } from "../src/with-sessions.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { SECRET } from "./support/browser.ts";

const code = (c: string) => expect.objectContaining({ name: "SessionError", code: c });

async function open(config: Partial<SessionsConfig> = {}, cookie: string | null = null): Promise<SessionJar> {
  return SessionJar.open(resolveSettings({ store: new MemoryStore({ secrets: SECRET }), ...config }, "test"), cookie);
}

/** The context over one jar, as an adapter builds it for a request with one middleware. */
const contextOf = <Data extends object = Record<string, unknown>>(jar: SessionJar) =>
  sessionContext<Data>(attachSessions(new Request("http://localhost/"), jar));

describe("sessionContext", () => {
  it("with one name: session, sessions[name] and loadSession() are the same loaded session", async () => {
    const jar = await open({ name: "s" });
    const context = contextOf<{ n: number }>(jar);
    expect(context.session).toBe(jar.session("s"));
    expect(context.sessions.s).toBe(context.session);
    expect(Object.keys(context.sessions)).toEqual(["s"]);
    expect(await context.loadSession()).toBe(context.session);
    expect(await context.loadSession("s")).toBe(context.session);
  });

  it("with several names: no session, a record of each, and loadSession() wants a known name", async () => {
    const jar = await open({ names: ["a", "b"] });
    const context = contextOf(jar);
    expect(context.session).toBeUndefined();
    expect(Object.keys(context.sessions)).toEqual(["a", "b"]);
    expect(context.sessions.a).toBe(jar.session("a"));
    expect(context.sessions.b).toBe(jar.session("b"));
    expect(context.sessions.a).not.toBe(context.sessions.b);
    await expect(context.loadSession()).rejects.toEqual(code("ERR_SESSION_MISSING"));
    await expect(context.loadSession("c")).rejects.toEqual(code("ERR_SESSION_MISSING"));
    expect(await context.loadSession("b")).toBe(context.sessions.b);
  });

  it("with lazy: no session; sessions[name] throws ERR_SESSION_MISSING until loadSession() loaded it", async () => {
    const jar = await open({ name: "s", lazy: true });
    expect(jar.loaded("s")).toBe(false);
    const context = contextOf(jar);
    expect(context.session).toBeUndefined();
    expect(() => context.sessions.s).toThrow(expect.objectContaining({ code: "ERR_SESSION_MISSING" }));
    const loaded = await context.loadSession();
    expect(jar.loaded("s")).toBe(true);
    expect(context.sessions.s).toBe(loaded);
  });

  it("loads the session of the request's cookie", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const first = await open({ store });
    const session = contextOf<{ n: number }>(first).session;
    session.set("n", 3);
    await session.save();
    const [line] = await first.commit();
    const again = contextOf<{ n: number }>(await open({ store }, line!.split(";")[0]!));
    expect(again.session.get("n")).toBe(3);
    expect(again.session.isNew).toBe(false);
  });

  it("adds up the jars of two middlewares on one request (two stores): no session, each name from its own jar", async () => {
    const request = new Request("http://localhost/");
    const auth = await open({ name: "auth" });
    const cart = await open({ name: "cart", store: new MemoryStore({ secrets: SECRET }) });
    const first = sessionContext(attachSessions(request, auth));
    expect(first.session).toBe(auth.session("auth"));
    const both = sessionContext(attachSessions(request, cart));
    expect(both.session).toBeUndefined();
    expect(Object.keys(both.sessions)).toEqual(["auth", "cart"]);
    expect(both.sessions.auth).toBe(auth.session("auth"));
    expect(both.sessions.cart).toBe(cart.session("cart"));
    expect(await both.loadSession("cart")).toBe(cart.session("cart"));
    await expect(both.loadSession()).rejects.toEqual(code("ERR_SESSION_MISSING"));
    // Assigned over the first context, as Elysia and SvelteKit do, it clears the first's session.
    const locals = Object.assign({}, first, both);
    expect(locals.session).toBeUndefined();
  });
});
