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
import type { ForeignValues, Rendered } from "./cookie-cases.ts";
import { OLD_SECRET, SECRET } from "./browser.ts";

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

function cookieOf(response: Response, name = NAME): string {
  const line = response.headers.getSetCookie().find((each) => each.startsWith(`${name}=`));
  expect(line, `a Set-Cookie for ${name}`).toBeDefined();
  return line!.slice(name.length + 1, line!.indexOf(";"));
}

/** Runs the generated-input properties against a store. */
export function describeMiddlewareFuzz(label: string, target: FuzzTarget): void {
  const { headers = 10_000, writes = 1_000, contents = 300 } = target;

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
      const data = fc.sample(sessionEntries, { seed: SEED, numRuns: POOL }).map((entries, i) => [["who", i], ...entries.filter(([key]) => key !== "who" && key !== "n")] as [string, unknown][]);
      const keys = [...new Set(data.flatMap((entries) => entries.map(([key]) => key)))];
      const main = fuzzApp(store, () => keys, NAME, target.lazy);
      const mint = async (app: ReturnType<typeof fuzzApp>, entries: [string, unknown][]) => {
        app.put(entries);
        const response = await app.app.request("/put", { method: "POST" });
        expect(response.status).toBe(200);
        return { value: cookieOf(response, app.name), id: ((await response.json()) as { id: string }).id };
      };
      // One at a time: the app hands the entries to its route through a shared variable.
      const pool: { value: string; id: string }[] = [];
      for (const entries of data) pool.push(await mint(main, entries));
      const expected = data.map((entries) => keys.map((key) => entries.find(([k]) => k === key)?.[1]));

      const otherName = fuzzApp(store, () => keys, "other");
      const otherSecret = fuzzApp(await target.make(["a-different-secret-that-is-long-enough-03"]), () => keys);
      const foreign: ForeignValues = { otherName: [], otherSecret: [], expired: [] };
      for (let i = 0; i < FOREIGN; i++) {
        foreign.otherName.push((await mint(otherName, data[i]!)).value);
        foreign.otherSecret.push((await mint(otherSecret, data[i]!)).value);
      }
      // Sealed 40 days ago with the default 30-day lifetime: expired now, in the cookie and in the store.
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() - 40 * DAY);
        for (let i = 0; i < FOREIGN; i++) foreign.expired.push((await mint(main, data[i]!)).value);
      } finally {
        vi.useRealTimers();
      }
      return { store, main, pool, expected, foreign, ids: new Set(pool.map((each) => each.id)) };
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
        fc.asyncProperty(headerCase(POOL, FOREIGN), async (generated) => {
          const rendered = render(generated, env.pool.map((each) => each.value), env.foreign, (value) => env.store.isWellFormed?.(value) ?? true);
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
        fc.asyncProperty(headerCase(POOL, FOREIGN), async (generated) => {
          const rendered = render(generated, env.pool.map((each) => each.value), env.foreign, (value) => env.store.isWellFormed?.(value) ?? true);
          const response = await env.main.app.request("/bump", { method: "POST", headers: { Cookie: rendered.header } });
          expect(response.status).toBe(200);
          const { id, n } = (await response.json()) as { id: string; n: number };
          const seen = env.main.take();
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
          const again = await env.main.app.request("/whoami", { headers: { Cookie: `${NAME}=${cookieOf(response)}` } });
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
      await fc.assert(
        fc.asyncProperty(sessionEntries, async (generated) => {
          // "n" is the key /bump changes.
          const entries = generated.filter(([key]) => key !== "n");
          const keys = entries.map(([key]) => key);
          const app = fuzzApp(store, () => keys);
          app.put(entries);
          const saved = await app.app.request("/put", { method: "POST" });
          if (saved.status === 413) {
            // Only a cookie store refuses, and only when the sealed data really passes 4096 bytes.
            expect(target.serverSide).toBe(false);
            expect(new TextEncoder().encode(JSON.stringify(Object.fromEntries(entries))).length).toBeGreaterThan(2_000);
            tooLarge++;
            return;
          }
          expect(saved.status).toBe(200);
          let cookie = `${NAME}=${cookieOf(saved)}`;
          const original = entries.map(([, value]) => value);

          expect((await app.app.request("/whoami", { headers: { Cookie: cookie } })).status).toBe(200);
          const loaded = app.take();
          expect(loaded.isNew).toBe(false);
          expectExactly(loaded.values, original);

          // A save that changes one other key keeps every generated value exact.
          const bumped = await app.app.request("/bump", { method: "POST", headers: { Cookie: cookie } });
          expect(bumped.status).toBe(200);
          app.take();
          cookie = `${NAME}=${cookieOf(bumped)}`;
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
