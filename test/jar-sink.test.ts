// The jar's CookieSink: each cookie a save or destroy decides goes to the sink as it is decided,
// the same cookie the jar's Set-Cookie line says; a sink that throws makes that save reject.
import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES } from "../src/chunks.ts";
import { serializeCookie } from "../src/cookie.ts";
import { SessionError } from "../src/errors.ts";
import { SessionJar, resolveSettings } from "../src/jar.ts";
import type { CookieSink, OutgoingCookie, SessionsConfig } from "../src/jar.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import { SECRET } from "./support/browser.ts";

const bytes = (text: string) => new TextEncoder().encode(text).length;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const blob = (size: number) => Array.from({ length: size }, (_, i) => ALPHABET[(i * 7919) % 62]).join("");

/** A sink that records every cookie it takes. */
function recorder(extraLineBytes?: number): CookieSink & { taken: OutgoingCookie[] } {
  const taken: OutgoingCookie[] = [];
  return { taken, extraLineBytes, set: (cookie) => void taken.push(cookie) };
}

const lineOf = ({ name, value, options }: OutgoingCookie) => serializeCookie(name, value, options);

async function open(config: Omit<SessionsConfig, "store"> & { store?: SessionsConfig["store"] }, header: string | null, sink?: CookieSink) {
  const settings = resolveSettings({ store: new CookieStore({ secrets: SECRET }), ...config }, "test");
  return SessionJar.open(settings, header, sink);
}

describe("SessionJar with a CookieSink", () => {
  it("hands each saved cookie to the sink as save() decides it, the same cookie as the Set-Cookie line", async () => {
    const sink = recorder();
    const jar = await open({ cookie: { domain: "example.com", sameSite: "Strict" } }, null, sink);
    const session = jar.session("session");
    session.set("user", "ada");
    await session.save();
    expect(sink.taken).toHaveLength(1);
    const [cookie] = sink.taken;
    expect(cookie).toMatchObject({ name: "session", options: { domain: "example.com", sameSite: "Strict", path: "/", httpOnly: true, secure: true } });
    expect(cookie!.options.maxAge).toBeGreaterThan(2_591_990);
    expect(cookie!.options.maxAge).toBeLessThanOrEqual(2_592_000);
    expect(await jar.commit()).toEqual([lineOf(cookie!)]);
  });

  it("hands deletions to the sink on destroy(): value empty, maxAge 0, every chunk the browser sent", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 3 });
    const first = recorder();
    const writer = await open({ store }, null, first);
    writer.session("session").set("blob", blob(5_000));
    await writer.session("session").save();
    expect(first.taken.map((cookie) => cookie.name)).toEqual(["session", "session.1"]);

    const header = first.taken.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
    const second = recorder();
    const jar = await open({ store }, header, second);
    expect((jar.session("session").get("blob") as string).length).toBe(5_000);
    await jar.session("session").destroy();
    expect(second.taken.map(({ name, value, options }) => [name, value, options.maxAge])).toEqual([
      ["session", "", 0],
      ["session.1", "", 0],
    ]);
    expect(await jar.commit()).toEqual(second.taken.map(lineOf));
  });

  it("hands the deletion of chunks no longer needed to the sink when a session shrinks", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 3 });
    const first = recorder();
    const writer = await open({ store }, null, first);
    writer.session("session").set("blob", blob(5_000));
    await writer.session("session").save();
    const header = first.taken.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");

    const second = recorder();
    const jar = await open({ store }, header, second);
    jar.session("session").set("blob", "small");
    await jar.session("session").save();
    expect(second.taken.map(({ name, value, options }) => [name, value === "", options.maxAge === 0])).toEqual([
      ["session", false, false],
      ["session.1", true, true],
    ]);
    expect(await jar.commit()).toEqual(second.taken.map(lineOf));
  });

  it("keeps the sink's extraLineBytes free on every chunk", async () => {
    const sink = recorder(39);
    const jar = await open({ store: new CookieStore({ secrets: SECRET, chunks: 3 }) }, null, sink);
    jar.session("session").set("blob", blob(5_000));
    await jar.session("session").save();
    expect(sink.taken.length).toBeGreaterThan(1);
    for (const cookie of sink.taken) expect(bytes(lineOf(cookie)) + 39).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(bytes(lineOf(sink.taken[0]!)) + 39).toBe(MAX_LINE_BYTES);
  });

  it("rejects save() with the sink's own error and records no Set-Cookie line", async () => {
    const refusal = new SessionError("ERR_SESSION_READ_ONLY", "no cookies here");
    const jar = await open({}, null, {
      set() {
        throw refusal;
      },
    });
    const session = jar.session("session");
    session.set("user", "ada");
    await expect(session.save()).rejects.toBe(refusal);
    await expect(session.destroy()).rejects.toBe(refusal);
    expect(await jar.commit()).toEqual([]);
  });

  it("calls no sink for a request that saves nothing, and works without one", async () => {
    const sink = recorder();
    const jar = await open({ store: new MemoryStore({ secrets: SECRET }) }, null, sink);
    jar.session("session").get("user");
    await jar.session("session").save();
    expect(await jar.commit()).toEqual([]);
    expect(sink.taken).toEqual([]);

    const plain = await open({}, null);
    plain.session("session").set("user", "ada");
    await plain.session("session").save();
    expect(await plain.commit()).toHaveLength(1);
  });
});
