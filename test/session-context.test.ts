// src/session-context.ts: the context object the Elysia and SvelteKit adapters hand to handlers.
import { describe, expect, it } from "vitest";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { SessionsConfig } from "../src/jar.ts";
import { sessionContext } from "../src/session-context.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { SECRET } from "./support/browser.ts";

const code = (c: string) => expect.objectContaining({ name: "SessionError", code: c });

async function open(config: Partial<SessionsConfig> = {}, cookie: string | null = null): Promise<SessionJar> {
  return SessionJar.open(resolveSettings({ store: new MemoryStore({ secrets: SECRET }), ...config }, "test"), cookie);
}

describe("sessionContext", () => {
  it("with one name: session, sessions[name] and loadSession() are the same loaded session", async () => {
    const jar = await open({ name: "s" });
    const context = sessionContext<{ n: number }>(jar);
    expect(context.session).toBe(jar.session("s"));
    expect(context.sessions.s).toBe(context.session);
    expect(Object.keys(context.sessions)).toEqual(["s"]);
    expect(await context.loadSession()).toBe(context.session);
    expect(await context.loadSession("s")).toBe(context.session);
  });

  it("with several names: no session, a record of each, and loadSession() wants a known name", async () => {
    const jar = await open({ names: ["a", "b"] });
    const context = sessionContext(jar);
    expect("session" in context).toBe(false);
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
    const context = sessionContext(jar);
    expect("session" in context).toBe(false);
    expect(() => context.sessions.s).toThrow(expect.objectContaining({ code: "ERR_SESSION_MISSING" }));
    const loaded = await context.loadSession();
    expect(jar.loaded("s")).toBe(true);
    expect(context.sessions.s).toBe(loaded);
  });

  it("loads the session of the request's cookie", async () => {
    const store = new MemoryStore({ secrets: SECRET });
    const first = await open({ store });
    const session = sessionContext<{ n: number }>(first).session;
    session.set("n", 3);
    await session.save();
    const [line] = await first.commit();
    const again = sessionContext<{ n: number }>(await open({ store }, line!.split(";")[0]!));
    expect(again.session.get("n")).toBe(3);
    expect(again.session.isNew).toBe(false);
  });
});
