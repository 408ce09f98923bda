/**
 * The Cookie header a browser signed in to the benchmark's app sends with every request, whether
 * or not the row's app reads it. Rows that set no cookie (bare Hono, the empty middleware) are sent
 * it all the same, so a difference between rows is the session work, not the cost of building and
 * parsing a request that carries a 350-byte header (about 5 µs on Node, where undici validates it).
 *
 * The value is made once per process by a real login: web-sessions' encrypted CookieStore sealing
 * the 10-field session with count 1, so it has that cookie's length on this run's code. Made on
 * first use rather than at import: workerd allows no random values at a module's top level.
 */

import { Hono } from "hono";
import { getSession, sessions } from "../adapters/hono.ts";
import { CookieStore } from "../src/index.ts";
import { LOGIN, PROFILE_KEYS, SECRET } from "./fixture.ts";
import type { Profile } from "./fixture.ts";

/** The cookie's name: the one the web-sessions rows use. */
export const SESSION_COOKIE = "session";
/** The attributes of the hand-written rows' Set-Cookie lines: web-sessions' defaults, 30 days. */
export const ATTRIBUTES = "; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Lax";

let made: Promise<string> | undefined;

/** The value of the encrypted CookieStore's cookie for the 10-field session (about 350 characters). */
export function sessionCookieValue(): Promise<string> {
  return (made ??= login());
}

/** `session=<value>`: the Cookie header of a browser holding that session. */
export async function sessionCookieHeader(): Promise<string> {
  return `${SESSION_COOKIE}=${await sessionCookieValue()}`;
}

/** POST /login on a web-sessions app: writes the 10-field session with count 1 and saves it. */
export function addLogin(app: Hono): void {
  app.post("/login", async (c) => {
    const session = getSession<Profile>(c);
    for (const key of PROFILE_KEYS) session.set(key, LOGIN[key]);
    session.set("count", 1);
    await session.save();
    return c.text("ok");
  });
}

async function login(): Promise<string> {
  const app = new Hono();
  app.use(sessions(SESSION_COOKIE, new CookieStore({ secrets: SECRET })));
  addLogin(app);
  const res = await app.request("/login", { method: "POST" });
  const line = res.headers.getSetCookie()[0] ?? "";
  const prefix = `${SESSION_COOKIE}=`;
  const end = line.indexOf(";");
  if (!line.startsWith(prefix) || end < 0) throw new Error(`the login set no ${SESSION_COOKIE} cookie: ${line}`);
  return line.slice(prefix.length, end);
}
