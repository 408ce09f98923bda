/**
 * The click-through demo: sign in, watch a visit counter rise, see a flash message once, list the
 * browsers you are signed in on and sign out everywhere else, sign out. It follows the seed's
 * "Distributed Session" walkthrough (login stores the user, `/` checks it, logout ends it) and adds
 * what a real login needs: `regenerate()` against session fixation, `destroy()` so a copied cookie
 * is worthless after logout, and the store's owner index (`owner: "user"`) for "sign out everywhere".
 *
 * @module
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { MemoryStore, Store } from "../../src/index.ts";
import { getSession, sessions } from "../../adapters/hono.ts";
import { homePage, loginPage, sessionsPage } from "./views.ts";

/** What the demo keeps in its session. */
export interface DemoData {
  user: string;
  visits: number;
}

/** A server store built with `owner: "user"` keeps an index of each user's sessions. */
type OwnerIndex = Pick<MemoryStore, "list" | "destroyAll">;

function hasOwnerIndex(store: Store): store is Store & OwnerIndex {
  return typeof (store as Partial<OwnerIndex>).list === "function";
}

/** Options of {@link createApp}. */
export interface DemoOptions {
  /** Send the cookie with `Secure`. Off only for browsers that refuse it on http://localhost. @default true */
  secureCookies?: boolean;
  /** A name for this instance, sent as `X-Instance`, so a distributed run shows who answered. */
  instance?: string;
}

const PASSWORD = "password";

function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value : "";
}

/** The signed-in user, or undefined. */
function signedIn(c: Context): string | undefined {
  return getSession<DemoData>(c).get("user");
}

/**
 * Builds the demo app over `store`, with one session named "session".
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 *
 * const app = createApp(new MemoryStore({ secrets: process.env.SESSION_SECRET!, owner: "user" }));
 * ```
 */
export function createApp(store: Store, { secureCookies = true, instance }: DemoOptions = {}): Hono {
  const app = new Hono();
  app.use(sessions<DemoData>("session", store, secureCookies ? {} : { cookie: { secure: false } }));
  // These pages show one user's data: no shared cache may keep them.
  app.use(async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    if (instance) c.header("X-Instance", instance);
  });

  app.get("/", async (c) => {
    const session = getSession<DemoData>(c);
    const user = session.get("user");
    // 302, not the seed's 301: browsers cache a 301 and would skip `/` even after signing in.
    if (user === undefined) return c.redirect("/login", 302);

    const visits = (session.get("visits") ?? 0) + 1;
    session.set("visits", visits);
    const flashes = session.flashes<string>();
    await session.save();
    return c.html(homePage({ user, visits, flashes, sessionsPage: hasOwnerIndex(store) }));
  });

  app.get("/login", (c) => c.html(loginPage({ password: PASSWORD })));

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const username = field(form, "username").trim();
    const password = field(form, "password");
    if (!username || password !== PASSWORD) {
      return c.html(loginPage({ error: "Wrong username or password.", username, password: PASSWORD }), 401);
    }

    const session = getSession<DemoData>(c);
    // A new id at the moment of privilege change: an id planted or seen before login is now dead.
    await session.regenerate();
    session.set("user", username);
    session.addFlash(`Welcome, ${username}!`);
    await session.save();
    return c.redirect("/", 302);
  });

  if (hasOwnerIndex(store)) listSessions(app, store);

  // POST only (and SameSite=Lax): a cross-site link or image cannot sign anyone out.
  app.post("/logout", async (c) => {
    await getSession<DemoData>(c).destroy();
    return c.redirect("/login", 302);
  });

  return app;
}

/** "Your sessions": the signed-in user's sessions in every browser, and "Sign out everywhere else". */
function listSessions(app: Hono, store: OwnerIndex): void {
  app.get("/sessions", async (c) => {
    const user = signedIn(c);
    if (user === undefined) return c.redirect("/login", 302);
    const session = getSession<DemoData>(c);
    const flashes = session.flashes<string>();
    await session.save();
    const rows = (await store.list(user))
      .map((info) => ({ ...info, current: info.id === session.id }))
      .sort((a, b) => Number(b.current) - Number(a.current) || a.createdAt - b.createdAt);
    return c.html(sessionsPage({ user, rows, flashes }));
  });

  // POST only, like logout: a cross-site page cannot trigger it.
  app.post("/sessions/sign-out-others", async (c) => {
    const user = signedIn(c);
    if (user === undefined) return c.redirect("/login", 302);
    const session = getSession<DemoData>(c);
    const count = await store.destroyAll(user, { except: session.id });
    session.addFlash(`Signed out ${count} other session${count === 1 ? "" : "s"}.`);
    await session.save();
    return c.redirect("/sessions", 302);
  });
}
