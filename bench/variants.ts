/**
 * The apps the benchmark compares. Every one serves GET / with the same work: read the counter and
 * the nine profile fields, add one to the counter, save, answer the profile as JSON. The first
 * request of a client "logs in" (writes the profile); each later one reads it back from the cookie
 * the previous response set. Each library is used the way its README shows.
 */

import { useSession } from "@hono/session";
import { Hono } from "hono";
import { CookieStore as HonoSessionsCookieStore, sessionMiddleware } from "hono-sessions";
import type { Session as HonoSessionsSession } from "hono-sessions";
import { getIronSession } from "iron-session";
import { getSession, sessions } from "../adapters/hono.ts";
import { decodeBase64url, encodeBase64url } from "../src/base64url.ts";
import { CookieStore, MemoryStore } from "../src/index.ts";
import "../src/jwt/index.ts";
import type { SessionWrite, Store, StoredSession } from "../src/index.ts";
import { ATTRIBUTES, sessionCookieValue } from "./browser-cookie.ts";
import { HEX_SECRET, LOGIN, NOTES_9K, PROFILE_KEYS, SECRET } from "./fixture.ts";
import type { Profile } from "./fixture.ts";
import { minimalCounterSession } from "./minimal-session.ts";
import type { MinimalEnv, SessionMap } from "./minimal-session.ts";

/** Where a row sits in the table and the chart. */
export type Kind = "baseline" | "floor" | "ours" | "peer";

export interface Variant {
  id: string;
  label: string;
  kind: Kind;
  /**
   * Whether responses must carry a Set-Cookie. A row that sets none (bare Hono, the empty
   * middleware) is sent the session's cookie all the same (bench/browser-cookie.ts).
   */
  setsCookie: boolean;
  make(): Promise<Hono> | Hono;
}

// ---------------------------------------------------------------------------------------------
// Bare Hono and the floors: the least any cookie session can cost.

/**
 * No session: the counter lives in the closure, so the same round-trip check applies. Its requests
 * carry the session's Cookie header all the same, which it does not read.
 */
function bareApp(): Hono {
  const app = new Hono();
  let count = 0;
  app.get("/", (c) => c.json({ ...LOGIN, count: ++count }));
  return app;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The value of cookie `s` in a Cookie header, found the shortest way. */
export function cookieValue(header: string | undefined): string | undefined {
  if (!header?.startsWith("s=")) return undefined;
  const end = header.indexOf(";");
  return header.slice(2, end < 0 ? undefined : end);
}

// The floors use the runtime's native base64url (Buffer, on Node, Deno and Bun): the fastest there
// is, so the floor is a true lower bound for a Web-standard library (which cannot rely on Buffer).
// Where there is no Buffer (workerd without nodejs_compat), web-sessions' own.
const NativeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
export const toB64 = NativeBuffer
  ? (bytes: Uint8Array) => NativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url")
  : encodeBase64url;
export const fromB64 = NativeBuffer
  ? (text: string) => NativeBuffer.from(text, "base64url") as Uint8Array as Uint8Array<ArrayBuffer>
  : (text: string) => decodeBase64url(text) ?? new Uint8Array(0);

/** A floor app: bare Hono plus `open` and `seal` of the session's JSON bytes. */
export function floorApp(
  seal: (json: Uint8Array<ArrayBuffer>) => Promise<string> | string,
  open: (value: string) => Promise<Uint8Array | undefined> | Uint8Array | undefined,
): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const value = cookieValue(c.req.header("Cookie"));
    const bytes = value === undefined ? undefined : await open(value);
    const profile: Profile = bytes ? JSON.parse(decoder.decode(bytes)) : { ...LOGIN, count: 0 };
    profile.count++;
    c.header("Set-Cookie", `s=${await seal(encoder.encode(JSON.stringify(profile)))}${ATTRIBUTES}`);
    return c.json(profile);
  });
  return app;
}

function floorJson(): Hono {
  return floorApp(toB64, fromB64);
}

async function floorAesGcm(): Promise<Hono> {
  // Imported once: per-request key import would be part of the library's cost, not the floor's.
  const key = await crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), "AES-GCM", false, ["encrypt", "decrypt"]);
  // IVs from a pool of random bytes, as web-sessions draws them: one getRandomValues call costs
  // about 4 µs on Node 20, and the floor should be the least an encrypted round trip can cost.
  let pool = new Uint8Array(0);
  let at = 0;
  return floorApp(
    async (json) => {
      if (at + 12 > pool.length) (pool = crypto.getRandomValues(new Uint8Array(1020))), (at = 0);
      const iv = pool.subarray(at, (at += 12));
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, json));
      const out = new Uint8Array(12 + sealed.length);
      out.set(iv);
      out.set(sealed, 12);
      return toB64(out);
    },
    async (value) => {
      const raw = fromB64(value);
      return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: raw.subarray(0, 12) }, key, raw.subarray(12)));
    },
  );
}

async function floorHmac(): Promise<Hono> {
  const key = await crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  return floorApp(
    async (json) => `${toB64(json)}.${toB64(new Uint8Array(await crypto.subtle.sign("HMAC", key, json)))}`,
    async (value) => {
      const dot = value.indexOf(".");
      const json = fromB64(value.slice(0, dot));
      return (await crypto.subtle.verify("HMAC", key, fromB64(value.slice(dot + 1)), json)) ? json : undefined;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// web-sessions

/** web-sessions through its Hono adapter, as in the README's quick start; `extra` joins the profile at login. */
export function webSessionsApp(store: Store, extra: Record<string, unknown> = {}): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  app.get("/", async (c) => {
    const session = getSession<Profile>(c);
    if (session.isNew) {
      for (const key of PROFILE_KEYS) session.set(key, LOGIN[key]);
      for (const [key, value] of Object.entries(extra)) (session as unknown as { set(key: string, value: unknown): void }).set(key, value);
    }
    const profile = {} as Record<string, unknown>;
    for (const key of PROFILE_KEYS) profile[key] = session.get(key);
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    await session.save();
    profile.count = count;
    return c.json(profile);
  });
  return app;
}

/** Bare Hono plus one empty middleware: what any session middleware costs before it does anything. */
function emptyMiddlewareApp(): Hono {
  const app = new Hono();
  app.use(async (_c, next) => {
    await next();
  });
  let count = 0;
  app.get("/", (c) => c.json({ ...LOGIN, count: ++count }));
  return app;
}

/**
 * A store that keeps the one session in a variable and puts a fixed token in the cookie: no
 * crypto, no JSON, not even a copy (the session's Map is handed back as it was left, which only a
 * single benchmark client can get away with). What is left is web-sessions' own machinery (cookie
 * parsing, the jar, Session, the Hono adapter, Set-Cookie), measured apart from the store's work.
 * The token is as long as the encrypted CookieStore's cookie, so the row's requests carry the
 * same Cookie header as bare Hono's. It answers from memory (`loadNow`), as CookieStore does for a
 * value its cache holds, so the row takes the same path as a CookieStore read.
 */
export class NullStore implements Store {
  #saved: StoredSession | undefined;

  constructor(readonly token: string) {}

  loadNow(_name: string, cookieValue: string): StoredSession | undefined {
    return cookieValue === this.token ? this.#saved : undefined;
  }

  async load(name: string, cookieValue: string): Promise<StoredSession | undefined> {
    return this.loadNow(name, cookieValue);
  }

  async save(_name: string, write: SessionWrite): Promise<string> {
    this.#saved = { id: write.id, createdAt: write.createdAt, expiresAt: write.expiresAt, data: write.data as Map<string, unknown> };
    return this.token;
  }

  async destroy(): Promise<void> {}
}

/** The least any session middleware adds (bench/minimal-session.ts), with web-sessions' handler. */
function minimalSessionApp(token: string): Hono {
  const app = new Hono<MinimalEnv>();
  app.use(minimalCounterSession(new Map<string, SessionMap>(), token));
  app.get("/", (c) => {
    const session = c.get("session");
    if (session.size === 0) for (const key of PROFILE_KEYS) session.set(key, LOGIN[key]);
    const profile = {} as Record<string, unknown>;
    for (const key of PROFILE_KEYS) profile[key] = session.get(key);
    const count = ((session.get("count") as number | undefined) ?? 0) + 1;
    session.set("count", count);
    profile.count = count;
    return c.json(profile);
  });
  return app as unknown as Hono;
}

// ---------------------------------------------------------------------------------------------
// Peers, each as its README shows it.

/** iron-session v8: `getIronSession(req, res, { password, cookieName })` with Hono's raw Request and c.res. */
function ironSessionApp(): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const session = await getIronSession<Partial<Profile>>(c.req.raw, c.res, { password: SECRET, cookieName: "session" });
    if (session.userId === undefined) Object.assign(session, LOGIN);
    const profile = {} as Record<string, unknown>;
    for (const key of PROFILE_KEYS) profile[key] = session[key];
    session.count = (session.count ?? 0) + 1;
    await session.save();
    profile.count = session.count;
    return c.json(profile);
  });
  return app;
}

/** hono-sessions 0.8 with its CookieStore (iron-webcrypto inside), options from its README. */
function honoSessionsApp(): Hono {
  const app = new Hono<{ Variables: { session: HonoSessionsSession<Profile>; session_key_rotation: boolean } }>();
  app.use(
    "*",
    sessionMiddleware({
      store: new HonoSessionsCookieStore(),
      encryptionKey: SECRET,
      expireAfterSeconds: 900,
      cookieOptions: { sameSite: "Lax", path: "/", httpOnly: true },
    }),
  );
  app.get("/", (c) => {
    const session = c.get("session");
    if (session.get("userId") == null) for (const key of PROFILE_KEYS) session.set(key, LOGIN[key]);
    const profile = {} as Record<string, unknown>;
    for (const key of PROFILE_KEYS) profile[key] = session.get(key);
    const count = (session.get("count") ?? 0) + 1;
    session.set("count", count);
    profile.count = count;
    return c.json(profile); // saved by the middleware after the handler
  });
  return app as unknown as Hono;
}

/** @hono/session 0.2 (encrypted JWT, jose inside): `useSession({ secret })`, `get()` then `update()`. */
function honoSessionApp(): Hono {
  const app = new Hono();
  app.use(useSession({ secret: HEX_SECRET, duration: { absolute: 2592000 } }));
  app.get("/", async (c) => {
    const session = (c.var as { session: { get(): Promise<Profile | null>; update(data: Profile): Promise<void> } }).session;
    const data = (await session.get()) ?? { ...LOGIN, count: 0 };
    const profile = {} as Record<string, unknown>;
    for (const key of PROFILE_KEYS) profile[key] = data[key];
    const count = data.count + 1;
    await session.update({ ...data, count });
    profile.count = count;
    return c.json(profile);
  });
  return app;
}

// ---------------------------------------------------------------------------------------------

/** The web-sessions rows both routes measure, each over `app`: the stores under the same names. */
export function ourStoreRows(app: (store: Store) => Hono): Variant[] {
  const row = (id: string, label: string, store: () => Store): Variant => ({ id, label, kind: "ours", setsCookie: true, make: () => app(store()) });
  return [
    row("ws-encrypted", "web-sessions CookieStore (encrypted)", () => new CookieStore({ secrets: SECRET })),
    row("ws-encrypted-nocache", "web-sessions CookieStore (encrypted, cache: 0)", () => new CookieStore({ secrets: SECRET, cache: 0 })),
    row("ws-signed", "web-sessions CookieStore (encrypt: false)", () => new CookieStore({ secrets: SECRET, encrypt: false })),
    row("ws-memory", "web-sessions MemoryStore", () => new MemoryStore({ secrets: SECRET })),
  ];
}

/** The hand-written least a session middleware can add (bench/minimal-session.ts), on both routes. */
export const MINIMAL_ID = "minimal-middleware";

/**
 * The rows of the main table, in the order they are run within each round (rotated from round to
 * round). The rows the targets compare run close together: bare Hono near the null-store row, the
 * floor app just before the encrypted CookieStore, so the two sides of each per-round difference
 * or ratio see the same moment of the machine.
 */
export const VARIANTS: Variant[] = [
  { id: "bare", label: "bare Hono (no session)", kind: "baseline", setsCookie: false, make: bareApp },
  { id: "empty-middleware", label: "bare Hono + empty middleware", kind: "baseline", setsCookie: false, make: emptyMiddlewareApp },
  { id: "ws-null", label: "web-sessions, null store", kind: "baseline", setsCookie: true, make: async () => webSessionsApp(new NullStore(await sessionCookieValue())) },
  { id: MINIMAL_ID, label: "minimal session middleware", kind: "baseline", setsCookie: true, make: async () => minimalSessionApp(await sessionCookieValue()) },
  { id: "floor-json", label: "floor: JSON + base64url", kind: "floor", setsCookie: true, make: floorJson },
  { id: "floor-hmac", label: "floor: HMAC round trip", kind: "floor", setsCookie: true, make: floorHmac },
  { id: "floor-aes", label: "floor: AES-GCM round trip", kind: "floor", setsCookie: true, make: floorAesGcm },
  ...ourStoreRows(webSessionsApp),
  {
    id: "ws-jwt",
    label: 'web-sessions CookieStore (format: "jwt")',
    kind: "ours",
    setsCookie: true,
    make: () => webSessionsApp(new CookieStore({ secrets: SECRET, format: "jwt" })),
  },
  {
    id: "ws-jwt-signed",
    label: 'web-sessions CookieStore (format: "jwt", encrypt: false)',
    kind: "ours",
    setsCookie: true,
    make: () => webSessionsApp(new CookieStore({ secrets: SECRET, format: "jwt", encrypt: false })),
  },
  {
    id: "ws-chunked-9k",
    label: "web-sessions CookieStore (9 KB session, chunks: 3)",
    kind: "ours",
    setsCookie: true,
    make: () => webSessionsApp(new CookieStore({ secrets: SECRET, chunks: 3, maxHeaderBytes: 12_288 }), { notes: NOTES_9K }),
  },
  {
    id: "ws-memory-9k",
    label: "web-sessions MemoryStore (the same 9 KB session)",
    kind: "ours",
    setsCookie: true,
    make: () => webSessionsApp(new MemoryStore({ secrets: SECRET }), { notes: NOTES_9K }),
  },
  { id: "iron-session", label: "iron-session", kind: "peer", setsCookie: true, make: ironSessionApp },
  { id: "hono-sessions", label: "hono-sessions (CookieStore)", kind: "peer", setsCookie: true, make: honoSessionsApp },
  { id: "hono-session", label: "@hono/session", kind: "peer", setsCookie: true, make: honoSessionApp },
];

/** The row whose requests/s is "the floor app": bare Hono plus one encrypted round trip of the same bytes. */
export const FLOOR_ID = "floor-aes";
export const BARE_ID = "bare";
