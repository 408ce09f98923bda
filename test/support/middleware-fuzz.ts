/**
 * The whole middleware under generated input, for any store: generated `Cookie` headers must each
 * get a 200 with a fresh session or the rightful one (never someone else's, never a 500), and
 * generated session contents must come back exactly. Nothing may be logged meanwhile.
 */
import fc from "fast-check";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MockInstance } from "vitest";
import type { Context } from "hono";
import { getSession, loadSession, sessions } from "../../adapters/hono.ts";
import { SessionError } from "../../src/errors.ts";
import type { Store } from "../../src/store.ts";
import { NAME, headerCase, render, sessionEntries } from "./cookie-cases.ts";
import type { Rendered } from "./cookie-cases.ts";
import { chunkHeaderCase, renderChunks } from "./chunk-cases.ts";
import type { ChunkRendered, ForeignParts, Parts } from "./chunk-cases.ts";
import { OLD_SECRET, SECRET } from "./browser.ts";
import { generatedRuns } from "./mutation.ts";

export interface FuzzTarget {
  /** A store with these secrets; stores made by one target share their backend, if they have one. */
  make(secrets: string[]): Store | Promise<Store>;
  /** Whether data lives server-side (a save changes what an older cookie of the session opens). */
  serverSide: boolean;
  /** Generated Cookie headers answered by a read-only route. @default 10000 */
  headers?: number;
  /** Generated Cookie headers answered by a route that saves. @default 1000 */
  writes?: number;
  /** Generated session contents round-tripped. @default 300 */
  contents?: number;
  /** Requests the store's backend has answered so far, for stores that make round trips. */
  roundTrips?: () => number;
  /** Run the middleware with `lazy: true`, the routes reaching the session through `loadSession`. */
  lazy?: boolean;
  /**
   * The store's `chunks`: then the pool's sessions are padded to span one to several chunks, the
   * headers are chunked ones (chunk-cases.ts), and each save must delete the chunks it no longer needs.
   */
  chunks?: number;
}

// Fixed seeds: a failure is reproducible, and CI runs the same cases as a developer's machine.
const SEED = 0x5e55;
const POOL = 8;
const FOREIGN = 3;
const DAY = 24 * 60 * 60 * 1000;
const CONSOLE = ["log", "info", "warn", "error", "debug", "trace"] as const;

interface Seen {
  id: string;
  isNew: boolean;
  values: unknown[];
  n: unknown;
}

function fuzzApp(store: Store, keys: () => string[], name = NAME, lazy = false) {
  let seen: Seen | undefined;
  let invalid = 0;
  let pending: [string, unknown][] = [];
  const app = new Hono();
  app.use(sessions(name, store, { onInvalidCookie: () => void invalid++, lazy }));
  const open = (c: Context) => (lazy ? loadSession(c) : getSession(c));
  const look = async (c: Context) => {
    const session = await open(c);
    seen = { id: session.id, isNew: session.isNew, values: keys().map((key) => session.get(key)), n: session.get("n") };
  };
  app.get("/whoami", async (c) => {
    await look(c);
    return c.text("ok");
  });
  app.post("/bump", async (c) => {
    await look(c);
    const session = await open(c);
    session.set("n", ((session.get("n") as number | undefined) ?? 0) + 1);
    await session.save();
    return c.json({ id: session.id, n: session.get("n") });
  });
  app.post("/put", async (c) => {
    const session = await open(c);
    for (const [key, value] of pending) session.set(key, value);
    try {
      await session.save();
    } catch (error) {
      if (error instanceof SessionError && error.code === "ERR_SESSION_COOKIE_TOO_LARGE") return c.text("too large", 413);
      throw error;
    }
    return c.json({ id: session.id });
  });
  return {
    app,
    name,
    take(): Seen {
      const value = seen;
      seen = undefined;
      expect(value, "the route ran").toBeDefined();
      return value!;
    },
    invalidCount: () => invalid,
    put(entries: [string, unknown][]) {
      pending = entries;
    },
  };
}

/**
 * Deep equality for JSON values, stricter than toStrictEqual where JSON is concerned: key order,
 * plain prototypes, own "__proto__" and "constructor" keys (which confuse toStrictEqual) and
 * Object.is on numbers.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((each, i) => sameJson(each, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
    const keys = Object.keys(a);
    const other = Object.keys(b);
    return (
      keys.length === other.length &&
      keys.every((key, i) => key === other[i] && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
    );
  }
  return Object.is(a, b);
}

function expectExactly(actual: unknown[], expected: unknown[]): void {
  if (!sameJson(actual, expected)) expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  expect(sameJson(actual, expected), "the same JSON values, exactly").toBe(true);
}

/** The chunks a response set for the session `name` (one for an unchunked cookie), in chunk order. */
function partsOf(response: Response, name = NAME): string[] {
  const values = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    // Every whole line fits where browsers and servers keep it.
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(4096);
    const eq = line.indexOf("=");
    const value = line.slice(eq + 1, line.indexOf(";"));
    if (value !== "") values.set(line.slice(0, eq), value);
  }
  const parts: string[] = [];
  for (let k = 0; values.has(k === 0 ? name : `${name}.${k}`); k++) parts.push(values.get(k === 0 ? name : `${name}.${k}`)!);
  expect(parts.length, `a Set-Cookie for ${name}`).toBeGreaterThan(0);
  expect(values.size, "no cookie but the session's chunks").toBe(parts.length);
  return parts;
}

/** The Cookie header that sends a session's chunks back. */
const cookieHeader = (parts: Parts, name = NAME) => parts.map((part, k) => `${k === 0 ? name : `${name}.${k}`}=${part}`).join("; ");

/** A random-looking padding of `length` characters (no compression applies, so size follows it). */
const padding = (length: number, seed: number) => fc.sample(fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"), minLength: length, maxLength: length }), { seed, numRuns: 1 })[0]!;

/** Runs the generated-input properties against a store. */
export function describeMiddlewareFuzz(label: string, target: FuzzTarget): void {
  const { chunks = 1 } = target;
  const headers = generatedRuns(target.headers ?? 10_000);
  const writes = generatedRuns(target.writes ?? 1_000);
  const contents = generatedRuns(target.contents ?? 300);
  const cases = chunks > 1 ? chunkHeaderCase(POOL, FOREIGN, chunks) : headerCase(POOL, FOREIGN);

  describe(`${label}: generated input through the Hono middleware${target.lazy ? " (lazy)" : ""}`, () => {
    let spies: MockInstance[] = [];
    beforeAll(() => {
      spies = CONSOLE.map((method) => vi.spyOn(console, method));
    });
    afterAll(() => {
      for (const spy of spies) spy.mockRestore();
    });
    const expectSilence = () => {
      for (const [i, spy] of spies.entries()) expect(spy, `console.${CONSOLE[i]} was called`).not.toHaveBeenCalled();
    };

    // A pool of valid sessions with generated contents, and values that must never open one.
    async function setup() {
      const store = await target.make([SECRET, OLD_SECRET]);
      const data = fc.sample(sessionEntries, { seed: SEED, numRuns: POOL }).map((entries, i) => {
        const own = [["who", i], ...entries.filter(([key]) => key !== "who" && key !== "n" && key !== "pad")] as [string, unknown][];
        // Chunked: session i spans about i / 2 + 1 chunks.
        return chunks > 1 ? [...own, ["pad", padding(i * 1400, i)]] as [string, unknown][] : own;
      });
      const keys = [...new Set(data.flatMap((entries) => entries.map(([key]) => key)))];
      const main = fuzzApp(store, () => keys, NAME, target.lazy);
      const mint = async (app: ReturnType<typeof fuzzApp>, entries: [string, unknown][]) => {
        app.put(entries);
        const response = await app.app.request("/put", { method: "POST" });
        expect(response.status).toBe(200);
        return { parts: partsOf(response, app.name), id: ((await response.json()) as { id: string }).id };
      };
      // One at a time: the app hands the entries to its route through a shared variable.
      const pool: { parts: string[]; id: string }[] = [];
      for (const entries of data) pool.push(await mint(main, entries));
      // Chunked: the pool holds one-cookie sessions and sessions over three chunks or more.
      if (chunks > 1) expect([pool.some((each) => each.parts.length === 1), pool.some((each) => each.parts.length >= 3)]).toEqual([true, true]);
      const expected = data.map((entries) => keys.map((key) => entries.find(([k]) => k === key)?.[1]));

      const otherName = fuzzApp(store, () => keys, "other");
      const otherSecret = fuzzApp(await target.make(["a-different-secret-that-is-long-enough-03"]), () => keys);
      // The foreign cookies of the larger sessions, so chunked ones are among them.
      const foreign: ForeignParts = { otherName: [], otherSecret: [], expired: [] };
      for (let i = POOL - FOREIGN; i < POOL; i++) {
        foreign.otherName.push((await mint(otherName, data[i]!)).parts);
        foreign.otherSecret.push((await mint(otherSecret, data[i]!)).parts);
      }
      // Sealed 40 days ago with the default 30-day lifetime: expired now, in the cookie and in the store.
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() - 40 * DAY);
        for (let i = POOL - FOREIGN; i < POOL; i++) foreign.expired.push((await mint(main, data[i]!)).parts);
      } finally {
        vi.useRealTimers();
      }
      return { store, main, pool, expected, foreign, ids: new Set(pool.map((each) => each.id)) };
    }

    function renderCase(generated: Parameters<typeof renderChunks>[0], env: Awaited<ReturnType<typeof setup>>): Rendered & Partial<ChunkRendered> {
      const valid = env.pool.map((each) => each.parts);
      const wellFormed = (value: string) => env.store.isWellFormed?.(value) ?? true;
      if (chunks > 1) return renderChunks(generated, valid, env.foreign, chunks, wellFormed);
      const first = (list: Parts[]) => list.map((parts) => parts[0]!);
      const { otherName, otherSecret, expired } = env.foreign;
      const foreign = { otherName: first(otherName), otherSecret: first(otherSecret), expired: first(expired) };
      return render(generated as Parameters<typeof render>[0], valid.map((parts) => parts[0]!), foreign, wellFormed);
    }

    function expectSession(seen: Seen, rendered: Rendered, env: Awaited<ReturnType<typeof setup>>) {
      if (seen.isNew) {
        expect(rendered.exact && rendered.rightful !== undefined, `the rightful session ${rendered.rightful} was lost`).toBe(false);
        expect(env.ids.has(seen.id)).toBe(false);
        expect(seen.values.every((value) => value === undefined)).toBe(true);
        return;
      }
      const index = env.pool.findIndex((each) => each.id === seen.id);
      expect(index, "an id from the pool").toBeGreaterThanOrEqual(0);
      expect(rendered.allowed.has(index), `session ${index} opened, but its cookie was not in the header`).toBe(true);
      if (rendered.exact) expect(index).toBe(rendered.rightful);
      expectExactly(seen.values, env.expected[index]!);
    }

    it(`answers ${headers} generated Cookie headers with 200 and a fresh or the rightful session`, async () => {
      const env = await setup();
      let opened = 0;
      await fc.assert(
        fc.asyncProperty(cases, async (generated) => {
          const rendered = renderCase(generated, env);
          const invalidBefore = env.main.invalidCount();
          const tripsBefore = target.roundTrips?.();
          const response = await env.main.app.request("/whoami", { headers: { Cookie: rendered.header } });
          // Nothing in the header could open a session: the backend must not even be asked.
          if (rendered.allowed.size === 0 && target.roundTrips) expect(target.roundTrips()).toBe(tripsBefore);
          expect(response.status).toBe(200);
          expect(await response.text()).toBe("ok");
          // Reading sets nothing, whatever came in.
          expect(response.headers.getSetCookie()).toEqual([]);
          const seen = env.main.take();
          expectSession(seen, rendered, env);
          if (!seen.isNew) {
            opened++;
            expect(env.main.invalidCount()).toBe(invalidBefore);
          }
        }),
        { numRuns: headers, seed: SEED },
      );
      // The generator must really reach the valid path, not only junk.
      expect(opened).toBeGreaterThan(headers / 5);
      expect(env.main.invalidCount()).toBeGreaterThan(headers / 5);
      expectSilence();
    }, 120_000);

    it(`saves after ${writes} generated Cookie headers: a fresh session or the rightful one, and the new cookie opens it`, async () => {
      const env = await setup();
      const bumps = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(cases, async (generated) => {
          const rendered = renderCase(generated, env);
          const response = await env.main.app.request("/bump", { method: "POST", headers: { Cookie: rendered.header } });
          expect(response.status).toBe(200);
          const { id, n } = (await response.json()) as { id: string; n: number };
          const seen = env.main.take();
          const parts = partsOf(response);
          if (chunks > 1) {
            // Chunks the browser sent that this session no longer needs are deleted, and nothing else.
            const deleted = response.headers.getSetCookie().filter((line) => /^[^=]*=;/.test(line)).map((line) => line.slice(0, line.indexOf("=")));
            const stale = [...rendered.present!].filter((k) => k >= parts.length).sort((a, b) => a - b);
            expect(deleted).toEqual(stale.map((k) => `${NAME}.${k}`));
          }
          expectSession(seen, rendered, env);
          expect(id).toBe(seen.id);
          if (seen.isNew) {
            expect(n).toBe(1);
          } else {
            // Cookie contents are fixed at sealing; a server store holds every earlier bump.
            const index = env.pool.findIndex((each) => each.id === id);
            const before = target.serverSide ? (bumps.get(index) ?? 0) : 0;
            expect(n).toBe(before + 1);
            bumps.set(index, before + 1);
          }
          const again = await env.main.app.request("/whoami", { headers: { Cookie: cookieHeader(parts) } });
          expect(again.status).toBe(200);
          const reread = env.main.take();
          expect(reread).toMatchObject({ id, isNew: false, n });
        }),
        { numRuns: writes, seed: SEED + 1 },
      );
      expectSilence();
    }, 120_000);

    it(`round-trips ${contents} generated session contents exactly (unicode, nesting, numbers to 2^53-1, JSON-looking strings)`, async () => {
      const store = await target.make([SECRET]);
      let tooLarge = 0;
      // Chunked: padded so the contents also come back through several chunks.
      const contentCases =
        chunks > 1
          ? fc.tuple(sessionEntries, fc.nat(10_000)).map(([entries, pad]) => [...entries.filter(([key]) => key !== "pad"), ["pad", "p".repeat(pad)]] as [string, unknown][])
          : sessionEntries;
      await fc.assert(
        fc.asyncProperty(contentCases, async (generated) => {
          // "n" is the key /bump changes.
          const entries = generated.filter(([key]) => key !== "n");
          const keys = entries.map(([key]) => key);
          const app = fuzzApp(store, () => keys);
          app.put(entries);
          const saved = await app.app.request("/put", { method: "POST" });
          if (saved.status === 413) {
            // Only a cookie store refuses, and only when the sealed data really passes 4096 bytes.
            expect(target.serverSide).toBe(false);
            expect(new TextEncoder().encode(JSON.stringify(Object.fromEntries(entries))).length).toBeGreaterThan(2_000 * chunks);
            tooLarge++;
            return;
          }
          expect(saved.status).toBe(200);
          let cookie = cookieHeader(partsOf(saved));
          const original = entries.map(([, value]) => value);

          expect((await app.app.request("/whoami", { headers: { Cookie: cookie } })).status).toBe(200);
          const loaded = app.take();
          expect(loaded.isNew).toBe(false);
          expectExactly(loaded.values, original);

          // A save that changes one other key keeps every generated value exact.
          const bumped = await app.app.request("/bump", { method: "POST", headers: { Cookie: cookie } });
          expect(bumped.status).toBe(200);
          app.take();
          cookie = cookieHeader(partsOf(bumped));
          expect((await app.app.request("/whoami", { headers: { Cookie: cookie } })).status).toBe(200);
          const reloaded = app.take();
          expectExactly(reloaded.values, original);
        }),
        { numRuns: contents, seed: SEED + 2 },
      );
      expect(tooLarge).toBeLessThan(contents / 10);
      expectSilence();
    }, 120_000);
  });
}
