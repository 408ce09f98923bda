/**
 * The read-only route: POST /login writes the 10-field profile once (count 1); then every GET /
 * reads the profile back and saves nothing, as most requests of a signed-in user do. Each library
 * is read the way its README shows (iron-session: `getIronSession` and read the fields;
 * hono-sessions: `c.get("session").get()`; @hono/session: `await c.var.session.get()`); whatever a
 * library does on a read besides (hono-sessions re-sends its cookie) is part of its row.
 */

import { useSession } from "@hono/session";
import { Hono } from "hono";
import { CookieStore as HonoSessionsCookieStore, sessionMiddleware } from "hono-sessions";
import type { Session as HonoSessionsSession } from "hono-sessions";
import { getIronSession } from "iron-session";
import { getSession, sessions } from "../adapters/hono.ts";
import type { Store } from "../src/index.ts";
import { ATTRIBUTES, addLogin, sessionCookieValue } from "./browser-cookie.ts";
import { HEX_SECRET, LOGIN, PROFILE_KEYS, SECRET } from "./fixture.ts";
import type { Profile } from "./fixture.ts";
import { minimalReadSession, sessionSetCookie } from "./minimal-session.ts";
import type { MinimalEnv, SessionMap } from "./minimal-session.ts";
import { MINIMAL_ID, cookieValue, fromB64, ourStoreRows, toB64 } from "./variants.ts";
import type { Variant } from "./variants.ts";

const PROFILE: Profile = { ...LOGIN, count: 1 };

/** The fields of the profile read one by one, as a handler would. */
function readProfile(get: (key: keyof Profile) => unknown): Record<string, unknown> {
  const profile: Record<string, unknown> = {};
  for (const key of PROFILE_KEYS) profile[key] = get(key);
  profile.count = get("count");
  return profile;
}

/** No session; its requests carry the session's Cookie header all the same, which it does not read. */
function bareReadApp(): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json(readProfile((key) => PROFILE[key])));
  return app;
}

/**
 * The least any session middleware adds to a read (bench/minimal-session.ts): POST /login keeps the
 * opened profile under a fixed token as long as the encrypted CookieStore's cookie; each GET / gets
 * its own copy of it.
 */
function minimalSessionReadApp(token: string): Hono {
  const opened = new Map<string, SessionMap>();
  const app = new Hono<MinimalEnv>();
  app.use(minimalReadSession(opened));
  app.post("/login", (c) => {
    opened.set(token, new Map(Object.entries(PROFILE)));
    c.header("Set-Cookie", sessionSetCookie(token));
    return c.text("ok");
  });
  app.get("/", (c) => {
    const session = c.get("session");
    return c.json(readProfile((key) => session.get(key)));
  });
  return app as unknown as Hono;
}

/** The floor of a read: bare Hono plus one AES-GCM decrypt of the session's JSON bytes. */
async function floorAesRead(): Promise<Hono> {
  const key = await crypto.subtle.importKey("raw", crypto.getRandomValues(new Uint8Array(32)), "AES-GCM", false, ["encrypt", "decrypt"]);
  const decoder = new TextDecoder();
  const app = new Hono();
  app.post("/login", async (c) => {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(PROFILE))));
    const out = new Uint8Array(12 + sealed.length);
    out.set(iv);
    out.set(sealed, 12);
    c.header("Set-Cookie", `s=${toB64(out)}${ATTRIBUTES}`);
    return c.text("ok");
  });
  app.get("/", async (c) => {
    const raw = fromB64(cookieValue(c.req.header("Cookie")) ?? "");
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: raw.subarray(0, 12) }, key, raw.subarray(12));
    const profile = JSON.parse(decoder.decode(plain)) as Profile;
    return c.json(readProfile((field) => profile[field]));
  });
  return app;
}

/** web-sessions through its Hono adapter: `getSession(c).get(key)`, no save. */
export function webSessionsReadApp(store: Store): Hono {
  const app = new Hono();
  app.use(sessions("session", store));
  addLogin(app);
  app.get("/", (c) => {
    const session = getSession<Profile>(c);
    return c.json(readProfile((key) => session.get(key)));
  });
  return app;
}

function ironSessionReadApp(): Hono {
  const app = new Hono();
  const options = { password: SECRET, cookieName: "session" };
  app.post("/login", async (c) => {
    const session = await getIronSession<Partial<Profile>>(c.req.raw, c.res, options);
    Object.assign(session, PROFILE);
    await session.save();
    return c.text("ok");
  });
  app.get("/", async (c) => {
    const session = await getIronSession<Partial<Profile>>(c.req.raw, c.res, options);
    return c.json(readProfile((key) => session[key]));
  });
  return app;
}

function honoSessionsReadApp(): Hono {
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
  app.post("/login", (c) => {
    const session = c.get("session");
    for (const key of [...PROFILE_KEYS, "count"] as const) session.set(key, PROFILE[key]);
    return c.text("ok");
  });
  app.get("/", (c) => {
    const session = c.get("session");
    return c.json(readProfile((key) => session.get(key)));
  });
  return app as unknown as Hono;
}

function honoSessionReadApp(): Hono {
  type Var = { session: { get(): Promise<Profile | null>; update(data: Profile): Promise<void> } };
  const app = new Hono();
  app.use(useSession({ secret: HEX_SECRET, duration: { absolute: 2592000 } }));
  app.post("/login", async (c) => {
    await (c.var as Var).session.update({ ...PROFILE });
    return c.text("ok");
  });
  app.get("/", async (c) => {
    const data = await (c.var as Var).session.get();
    if (!data) return c.text("no session", 500);
    return c.json(readProfile((key) => data[key]));
  });
  return app;
}

/** The rows of the read-only table, in the order they are run within each round. */
export const READ_VARIANTS: Variant[] = [
  { id: "bare", label: "bare Hono (no session)", kind: "baseline", setsCookie: false, make: bareReadApp },
  { id: MINIMAL_ID, label: "minimal session middleware", kind: "baseline", setsCookie: true, make: async () => minimalSessionReadApp(await sessionCookieValue()) },
  { id: "floor-aes", label: "floor: one AES-GCM decrypt", kind: "floor", setsCookie: true, make: floorAesRead },
  ...ourStoreRows(webSessionsReadApp),
  { id: "iron-session", label: "iron-session", kind: "peer", setsCookie: true, make: ironSessionReadApp },
  { id: "hono-sessions", label: "hono-sessions (CookieStore)", kind: "peer", setsCookie: true, make: honoSessionsReadApp },
  { id: "hono-session", label: "@hono/session", kind: "peer", setsCookie: true, make: honoSessionReadApp },
];
