/**
 * The click-through demo: sign in (with "remember me"), watch a visit counter rise, see a flash
 * message once, see the devices you are signed in on and sign any of them out, sign out. It follows
 * the seed's "Distributed Session" walkthrough (login stores the user, `/` checks it, logout ends it)
 * and adds what a real login needs: `regenerate()` against session fixation, `destroy()` so a copied
 * cookie is worthless after logout, a browser-session cookie when "remember me" is left unticked,
 * and the store's owner index (`DEVICE_LISTING`) for the devices page.
 *
 * @module
 */

import { Hono } from "hono";
import { csrf } from "hono/csrf";
import type { Store } from "../../src/index.ts";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SESSION_NAME } from "./demo-data.ts";
import type { DemoData } from "./demo-data.ts";
import { MAX_USER_AGENT } from "./device.ts";
import { deviceRoutes } from "./devices.ts";
import type { OwnerIndex } from "./devices.ts";
import { homePage, loginPage } from "./views.ts";

export { DEVICE_LISTING } from "./demo-data.ts";
export type { DemoData } from "./demo-data.ts";

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

/**
 * Builds the demo app over `store`, with one session named "session". Build a server store with
 * `DEVICE_LISTING` to get the devices page.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 *
 * const app = createApp(new MemoryStore({ secrets: process.env.SESSION_SECRET!, ...DEVICE_LISTING }));
 * ```
 */
export function createApp(store: Store, { secureCookies = true, instance }: DemoOptions = {}): Hono {
  const app = new Hono();
  // Every form posts to this origin. The session cookie is SameSite=Lax, which already keeps it off
  // cross-site POSTs in today's browsers; checking Origin (or Sec-Fetch-Site) as well turns away a
  // forged form from another site, or from a sibling subdomain that SameSite counts as the same
  // site, before it touches a session. Behind a proxy that changes the scheme or host, pass the
  // public origin: `csrf({ origin: "https://example.com" })`.
  app.use(csrf());
  app.use(sessions<DemoData>(SESSION_NAME, store, secureCookies ? {} : { cookie: { secure: false } }));
  // These pages show one user's data: no shared cache may keep them.
  app.use(async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
    if (instance) c.header("X-Instance", instance);
  });
  const devicesPage = hasOwnerIndex(store);

  app.get("/", async (c) => {
    const session = getSession<DemoData>(c);
    const user = session.get("user");
    // 302, not the seed's 301: browsers cache a 301 and would skip `/` even after signing in.
    if (user === undefined) return c.redirect("/login", 302);

    const visits = (session.get("visits") ?? 0) + 1;
    session.set("visits", visits);
    const flashes = session.flashes<string>();
    await session.save();
    return c.html(homePage({ user, visits, flashes, devicesPage }));
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
    // For the devices page: which browser this is, and since when.
    session.set("userAgent", (c.req.header("User-Agent") ?? "").slice(0, MAX_USER_AGENT));
    session.set("signedInAt", Date.now());
    // Unticked, the cookie has no Max-Age: the browser drops it when it closes. Set either way,
    // since a session signed in again over an old one keeps that one's choice otherwise.
    session.options({ persistent: field(form, "remember") === "on" });
    session.addFlash(`Welcome, ${username}!`);
    await session.save();
    return c.redirect("/", 302);
  });

  if (devicesPage) deviceRoutes(app, store);

  // POST only (and checked by csrf() above): a cross-site link or image cannot sign anyone out.
  app.post("/logout", async (c) => {
    await getSession<DemoData>(c).destroy();
    return c.redirect("/login", 302);
  });

  return app;
}
