import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getSession, manySessions, sessions } from "../adapters/hono.ts";
import * as bun from "../adapters/bun.ts";
import * as deno from "../adapters/deno.ts";
import * as workers from "../adapters/workers.ts";
import { MAX_LINE_BYTES, chunkCookies, chunkName, joinChunks, splitChunks } from "../src/chunks.ts";
import { serializeCookie } from "../src/cookie.ts";
import { resolveCookieOptions } from "../src/options.ts";
import * as core from "../src/index.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import type { CookieStoreOptions } from "../src/stores/cookie.ts";
import { OLD_SECRET, SECRET, TestBrowser } from "./support/browser.ts";

const bytes = (text: string) => new TextEncoder().encode(text).length;
// Random-looking text: nothing in the format compresses, so the sealed size follows the data.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const blob = (size: number) => Array.from({ length: size }, (_, i) => ALPHABET[(i * 7919) % 62]).join("");

/** A Hono app over one chunked store: POST /?size=N stores N characters, GET / reads them back. */
function chunkedApp(options: Partial<CookieStoreOptions> = {}, name = "session", cookie = {}) {
  const invalid: string[] = [];
  const app = new Hono();
  // A budget past the default, so sessions of three chunks fit (the budget has a test of its own).
  app.use(sessions(name, new CookieStore({ secrets: SECRET, chunks: 4, maxHeaderBytes: 16_384, ...options }), { cookie, onInvalidCookie: (n) => void invalid.push(n) }));
  app.post("/", async (c) => {
    const session = getSession(c);
    session.set("blob", blob(Number(c.req.query("size"))));
    try {
      await session.save();
    } catch (error) {
      return c.text((error as core.SessionError).code, 413);
    }
    return c.text("saved");
  });
  app.get("/", (c) => c.json({ isNew: getSession(c).isNew, length: (getSession(c).get("blob") as string | undefined)?.length ?? 0 }));
  app.post("/logout", async (c) => {
    await getSession(c).destroy();
    return c.text("bye");
  });
  return { app, invalid };
}

const namesOf = (lines: string[]) => lines.map((line) => line.slice(0, line.indexOf("=")));

describe("chunkCookies and joinChunks", () => {
  const options = resolveCookieOptions({ domain: "a-rather-long-subdomain.example.com", path: "/some/longer/path" });

  it("splits into whole Set-Cookie lines of at most 4096 bytes that join back to the value", () => {
    const value = "x".repeat(10_000);
    const lines = chunkCookies("session", value, options, 4)!;
    expect(namesOf(lines)).toEqual(["session", "session.1", "session.2"]);
    for (const line of lines) expect(bytes(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(bytes(lines[0]!)).toBe(MAX_LINE_BYTES); // filled to the byte, attributes counted
    const cookies = new Map(lines.map((line) => [line.slice(0, line.indexOf("=")), [line.slice(line.indexOf("=") + 1, line.indexOf(";"))]]));
    expect(joinChunks(cookies, "session", 4)).toEqual([value]);
  });

  it("returns undefined when the value needs more chunks than allowed", () => {
    expect(chunkCookies("session", "x".repeat(8_100), options, 2)).toBeUndefined();
    expect(chunkCookies("session", "x".repeat(7_900), options, 2)).toHaveLength(2);
  });

  it("pairs duplicated names by position, and leaves out a value whose counted chunks are not all there", () => {
    const cookies = new Map([
      ["s", ["2~a0", "b0", "3~c0"]],
      ["s.1", ["a1", "b1", "c1"]],
      ["s.3", ["a3"]],
    ]);
    expect(joinChunks(cookies, "s", 4)).toEqual(["a0a1", "b0"]);
    expect(joinChunks(new Map(), "s", 4)).toBeUndefined();
    expect(chunkName("__Host-s", 2)).toBe("__Host-s.2");
  });

  it("joins exactly the count the first chunk carries, none past it, and no count out of range", () => {
    const cookies = new Map(["s", "s.1", "s.2", "s.3", "s.4"].map((name, index) => [name, [`a${index}`]]));
    const first = (value: string) => new Map([...cookies, ["s", [value]]]);
    expect(joinChunks(first("4~a0"), "s", 4)).toEqual(["a0a1a2a3"]);
    expect(joinChunks(first("2~a0"), "s", 4)).toEqual(["a0a1"]);
    expect(joinChunks(cookies, "s", 4)).toEqual(["a0"]);
    expect(joinChunks(first("10~a0"), "s", 10)).toEqual([]);
    for (const value of ["5~a0", "1~a0", "0~a0", "02~a0"]) expect(joinChunks(first(value), "s", 4), value).toEqual(value === "02~a0" ? ["a0a1"] : []);
    expect(joinChunks(first("4~a0"), "s", 1)).toEqual([]);
    // What chunkCookies writes, joinChunks reads back, for every count.
    const options = resolveCookieOptions({});
    for (let count = 1; count <= 10; count++) {
      const value = "v".repeat(4000 * count - 200);
      const lines = chunkCookies("s", value, options, 10)!;
      expect(lines).toHaveLength(count);
      const parsed = new Map(lines.map((line) => [line.slice(0, line.indexOf("=")), [line.slice(line.indexOf("=") + 1, line.indexOf(";"))]]));
      expect(joinChunks(parsed, "s", 10)).toEqual([value]);
    }
  });

  it("uses one line for a value that fills it to the byte, and one for an empty value", () => {
    const room = MAX_LINE_BYTES - bytes(serializeCookie("session", "", options));
    const full = chunkCookies("session", "x".repeat(room), options, 4)!;
    expect(full).toEqual([serializeCookie("session", "x".repeat(room), options)]);
    expect(bytes(full[0]!)).toBe(MAX_LINE_BYTES);
    expect(namesOf(chunkCookies("session", "x".repeat(room + 1), options, 4)!)).toEqual(["session", "session.1"]);
    expect(chunkCookies("session", "", options, 4)).toEqual([serializeCookie("session", "", options)]);
  });

  it("keeps extraBytes free on every line, for attributes a framework adds", () => {
    const room = MAX_LINE_BYTES - bytes(serializeCookie("session", "", options));
    const parts = splitChunks("session", "x".repeat(room), options, 4, 39)!;
    // The first chunk also carries the count ("2~").
    expect(parts).toEqual([
      ["session", "2~" + "x".repeat(room - 39 - 2)],
      ["session.1", "x".repeat(39 + 2)],
    ]);
    expect(bytes(serializeCookie("session", parts[0]![1], options)) + 39).toBe(MAX_LINE_BYTES);
    expect(splitChunks("session", "x".repeat(room), options, 4)).toEqual([["session", "x".repeat(room)]]);
    expect(splitChunks("session", "x", options, 4, room)).toBeUndefined();
    expect(splitChunks("session", "x", options, 4, room - 1)).toEqual([["session", "x"]]);
  });

  it("returns undefined when the attributes alone fill the line", () => {
    const short = resolveCookieOptions({ path: "/" });
    const exact = resolveCookieOptions({ path: `/${"p".repeat(MAX_LINE_BYTES - bytes(serializeCookie("session", "", short)))}` });
    expect(bytes(serializeCookie("session", "", exact))).toBe(MAX_LINE_BYTES);
    expect(chunkCookies("session", "", exact, 4)).toBeUndefined();
    expect(chunkCookies("session", "x", exact, 4)).toBeUndefined();
  });
});

describe("CookieStore with chunks", () => {
  it("keeps a 9 KB session (6.7 KB of data, sealed) in three cookies, each whole line within 4096 bytes, and reads it back", async () => {
    const { app } = chunkedApp();
    const b = new TestBrowser((request) => app.fetch(request));
    expect(await (await b.fetch("/?size=6700", { method: "POST" })).text()).toBe("saved");
    expect(namesOf(b.lastSetCookies)).toEqual(["session", "session.1", "session.2"]);
    for (const line of b.lastSetCookies) expect(bytes(line)).toBeLessThanOrEqual(4096);
    expect(await b.json("/")).toEqual({ isNew: false, length: 6700 });
  });

  it("sends one ordinary cookie for a session that fits, and deletes the chunks a shrinking session no longer needs", async () => {
    const { app } = chunkedApp();
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/?size=100", { method: "POST" });
    expect(namesOf(b.lastSetCookies)).toEqual(["session"]);
    await b.fetch("/?size=6700", { method: "POST" });
    expect([...b.cookies.keys()]).toEqual(["session", "session.1", "session.2"]);
    await b.fetch("/?size=4000", { method: "POST" });
    expect(namesOf(b.lastSetCookies)).toEqual(["session", "session.1", "session.2"]);
    expect(b.lastSetCookies[2]).toMatch(/^session\.2=; Max-Age=0;/);
    expect([...b.cookies.keys()]).toEqual(["session", "session.1"]);
    expect(await b.json("/")).toEqual({ isNew: false, length: 4000 });
    await b.fetch("/?size=10", { method: "POST" });
    expect([...b.cookies.keys()]).toEqual(["session"]);
    expect(await b.json("/")).toEqual({ isNew: false, length: 10 });
  });

  it("opens nothing from a missing, reordered or mixed chunk, and never fails the request", async () => {
    const { app, invalid } = chunkedApp();
    const mint = async (size: number) => {
      const b = new TestBrowser((request) => app.fetch(request));
      await b.fetch(`/?size=${size}`, { method: "POST" });
      return Object.fromEntries(b.cookies);
    };
    const one = await mint(6700);
    const other = await mint(6700);
    const small = await mint(100);
    const headers = [
      { session: one.session, "session.2": one["session.2"] }, // missing the middle
      { session: one.session, "session.1": one["session.1"] }, // missing the last
      { session: one.session, "session.1": one["session.2"], "session.2": one["session.1"] }, // reordered
      { ...one, "session.1": other["session.1"] }, // mixed
    ];
    for (const cookies of headers) {
      const header = Object.entries(cookies).map(([name, value]) => `${name}=${value}`).join("; ");
      const response = await app.request("/", { headers: { Cookie: header } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ isNew: true, length: 0 });
    }
    expect(invalid).toHaveLength(headers.length);
    // The order of the names in the header does not matter, only which value each name has.
    const reversed = Object.entries(one).reverse().map(([name, value]) => `${name}=${value}`).join("; ");
    expect(await (await app.request("/", { headers: { Cookie: reversed } })).json()).toEqual({ isNew: false, length: 6700 });
  });

  it("review 3, finding 3: ignores chunks past the ones the session was written with, wherever they sit in the header", async () => {
    const { app, invalid } = chunkedApp();
    const mint = async (size: number) => {
      const b = new TestBrowser((request) => app.fetch(request));
      await b.fetch(`/?size=${size}`, { method: "POST" });
      return [...b.cookies].map(([name, value]) => `${name}=${value}`);
    };
    const three = await mint(6700);
    const small = await mint(100);
    expect(three).toHaveLength(3);
    expect(small).toHaveLength(1);
    // A sibling subdomain plants session.N with Domain=: the jar cannot delete it, so it must not matter.
    const planted = ["session.3=x", "session.3=AAAA", "session.1=x", "session.2=AAAA.BBBB"];
    const cases: Array<[string[], number]> = [
      [["session.3=x", ...three], 6700],
      [[three[0]!, "session.3=x", three[1]!, three[2]!], 6700],
      [[...three, "session.3=AAAA"], 6700],
      [[...planted.slice(2), ...small], 100],
      [[...small, ...planted], 100],
    ];
    for (const [pairs, length] of cases) {
      const response = await app.request("/", { headers: { Cookie: pairs.join("; ") } });
      expect(await response.json(), pairs.join("; ")).toEqual({ isNew: false, length });
    }
    expect(invalid).toEqual([]);
    // The first chunk says how many there are: a missing one still opens nothing.
    expect(three[0]).toMatch(/^session=3~/);
    expect(await (await app.request("/", { headers: { Cookie: [three[0], three[1], "session.3=x"].join("; ") } })).json()).toEqual({ isNew: true, length: 0 });
  });

  it("review 3, hardening: refuses at save() a session whose chunks together pass maxHeaderBytes (8192 by default), with ERR_SESSION_COOKIE_TOO_LARGE and no Set-Cookie", async () => {
    const { app } = chunkedApp({ maxHeaderBytes: undefined });
    const b = new TestBrowser((request) => app.fetch(request));
    // 6.7 KB of data seals to about 9 KB: past the default budget, though 4 chunks would hold it.
    const over = await b.fetch("/?size=6700", { method: "POST" });
    expect(await over.text()).toBe("ERR_SESSION_COOKIE_TOO_LARGE");
    expect(over.headers.getSetCookie()).toEqual([]);
    expect(await (await b.fetch("/?size=5000", { method: "POST" })).text()).toBe("saved");
    const header = b.cookieHeader();
    expect(bytes(header)).toBeLessThanOrEqual(8192);
    // The budget counts every chunk's name=value and the "; " between them, to the byte.
    const budget = bytes(header);
    const exact = chunkedApp({ maxHeaderBytes: budget }).app;
    expect(await (await exact.request("/?size=5000", { method: "POST" })).text()).toBe("saved");
    const under = chunkedApp({ maxHeaderBytes: budget - 1 }).app;
    expect(await (await under.request("/?size=5000", { method: "POST" })).text()).toBe("ERR_SESSION_COOKIE_TOO_LARGE");
    for (const maxHeaderBytes of [0, -1, 1.5, Number.NaN, "8192"]) {
      expect(() => new CookieStore({ secrets: SECRET, chunks: 4, maxHeaderBytes: maxHeaderBytes as never })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });

  it("rejects a session past all its chunks with ERR_SESSION_COOKIE_TOO_LARGE and sends no Set-Cookie", async () => {
    const { app } = chunkedApp({ chunks: 2 });
    const response = await app.request("/?size=7000", { method: "POST" });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe("ERR_SESSION_COOKIE_TOO_LARGE");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await (await app.request("/?size=5000", { method: "POST" })).text()).toBe("saved");
  });

  it("opens chunks sealed with an older secret and re-seals them with the newest at the next save", async () => {
    const old = chunkedApp({ secrets: [OLD_SECRET] }).app;
    const rotated = chunkedApp({ secrets: [SECRET, OLD_SECRET] }).app;
    const newOnly = chunkedApp({ secrets: [SECRET] }).app;
    const b = new TestBrowser((request) => old.fetch(request));
    await b.fetch("/?size=6700", { method: "POST" });
    const sealedOld = b.cookieHeader();
    expect(await (await newOnly.request("/", { headers: { Cookie: sealedOld } })).json()).toEqual({ isNew: true, length: 0 });
    expect(await (await rotated.request("/", { headers: { Cookie: sealedOld } })).json()).toEqual({ isNew: false, length: 6700 });
    const resealed = new TestBrowser((request) => rotated.fetch(request));
    resealed.cookies.clear();
    for (const pair of sealedOld.split("; ")) resealed.cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    await resealed.fetch("/?size=6700", { method: "POST" });
    expect(await (await newOnly.request("/", { headers: { Cookie: resealed.cookieHeader() } })).json()).toEqual({ isNew: false, length: 6700 });
  });

  it("destroy() deletes the session and every chunk the browser holds", async () => {
    const { app } = chunkedApp();
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/?size=6700", { method: "POST" });
    await b.fetch("/logout", { method: "POST" });
    expect(namesOf(b.lastSetCookies)).toEqual(["session", "session.1", "session.2"]);
    for (const line of b.lastSetCookies) expect(line).toMatch(/=; Max-Age=0;/);
    expect(b.cookies.size).toBe(0);
  });

  it("keeps several named sessions apart, each with its own chunks", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 3 });
    const app = new Hono();
    app.use(manySessions(["a", "b"], store));
    app.post("/", async (c) => {
      for (const [name, size] of [["a", 4000], ["b", 300]] as const) {
        getSession(c, name).set("blob", blob(size) + name);
        await getSession(c, name).save();
      }
      return c.text("saved");
    });
    app.get("/", (c) => c.json(["a", "b"].map((name) => (getSession(c, name).get("blob") as string | undefined)?.slice(-1))));
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/", { method: "POST" });
    expect(namesOf(b.lastSetCookies)).toEqual(["a", "a.1", "b"]);
    expect(await b.json("/")).toEqual(["a", "b"]);
    expect(() => manySessions(["a", "a.1"], store)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
  });

  it("keeps a __Host- prefix on every chunk, and counts long attributes in each line", async () => {
    const { app } = chunkedApp({}, "__Host-s", { path: "/" });
    const b = new TestBrowser((request) => app.fetch(request));
    await b.fetch("/?size=6700", { method: "POST" });
    expect(namesOf(b.lastSetCookies)).toEqual(["__Host-s", "__Host-s.1", "__Host-s.2"]);
    for (const line of b.lastSetCookies) expect(line).toMatch(/; Path=\/; HttpOnly; Secure;/);
    const long = chunkedApp({}, "session", { domain: `${"sub.".repeat(60)}example.com`, path: `/${"p".repeat(300)}` }).app;
    const response = await long.request("/?size=6700", { method: "POST" });
    expect(response.headers.getSetCookie().length).toBe(3);
    for (const line of response.headers.getSetCookie()) expect(bytes(line)).toBeLessThanOrEqual(4096);
  });

  it("refuses chunks that are not an integer from 1 to 10 when the store is built", () => {
    for (const chunks of [0, 11, 1.5, Number.NaN]) {
      expect(() => new CookieStore({ secrets: SECRET, chunks })).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
  });

  it("works through every adapter's withSessions", async () => {
    const store = new CookieStore({ secrets: SECRET, chunks: 4, maxHeaderBytes: 16_384 });
    type Adapter = {
      withSessions(config: core.SessionsConfig, handler: (request: Request) => Promise<Response>): (request: Request, ...rest: unknown[]) => Promise<Response>;
      getSession(request: Request): core.Session;
    };
    for (const adapter of [core, workers, deno, bun] as unknown as Adapter[]) {
      const handler = adapter.withSessions({ store }, async (request: Request) => {
        const session = adapter.getSession(request);
        const before = (session.get("blob") as string | undefined)?.length ?? 0;
        session.set("blob", blob(before + 4000));
        await session.save();
        return new Response(String(before));
      });
      const call = (cookie?: string) => handler(new Request("http://localhost/", { headers: cookie ? { Cookie: cookie } : {} }), {}, {});
      const first = await call();
      const cookie = first.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
      expect(first.headers.getSetCookie()).toHaveLength(2);
      const second = await call(cookie);
      expect(await second.text()).toBe("4000");
      expect(second.headers.getSetCookie()).toHaveLength(3);
    }
  });
});
