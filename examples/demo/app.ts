/**
 * The click-through demo: sign in, watch a visit counter rise, see a flash message once, sign out.
 * It follows the seed's "Distributed Session" walkthrough (login stores the user, `/` checks it,
 * logout ends it) and adds what a real login needs: `regenerate()` against session fixation and
 * `destroy()` so a copied cookie is worthless after logout.
 *
 * @module
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { Store } from "../../src/index.ts";
import { getSession, sessions } from "../../adapters/hono.ts";

/** What the demo keeps in its session. */
export interface DemoData {
  user: string;
  visits: number;
}

/** Options of {@link createApp}. */
export interface DemoOptions {
  /** Send the cookie with `Secure`. Off only for browsers that refuse it on http://localhost. @default true */
  secureCookies?: boolean;
  /** A name for this instance, sent as `X-Instance`, so a distributed run shows who answered. */
  instance?: string;
}

const PASSWORD = "password";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and quoted attributes: user names come from the form. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · web-sessions demo</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

function loginPage(c: Context, { error, username = "" }: { error?: string; username?: string } = {}) {
  const body = `${error ? `<p role="alert"><strong>${escapeHtml(error)}</strong></p>` : ""}
<form method="post" action="/login">
  <p><label>Username <input name="username" value="${escapeHtml(username)}" required autofocus></label></p>
  <p><label>Password <input name="password" type="password" required></label></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p>Any non-empty username works; the password is <code>${PASSWORD}</code>.</p>`;
  return c.html(page("Sign in", body), error ? 401 : 200);
}

function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value : "";
}

/**
 * Builds the demo app over `store`, with one session named "session".
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 *
 * const app = createApp(new MemoryStore({ secrets: process.env.SESSION_SECRET! }));
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

    const body = `${flashes.map((flash) => `<p role="status">${escapeHtml(flash)}</p>`).join("\n")}
<p>Signed in as <strong>${escapeHtml(user)}</strong>.</p>
<p>Visits in this session: <strong id="visits">${visits}</strong></p>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;
    return c.html(page("Home", body));
  });

  app.get("/login", (c) => loginPage(c));

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const username = field(form, "username").trim();
    const password = field(form, "password");
    if (!username || password !== PASSWORD) {
      return loginPage(c, { error: "Wrong username or password.", username });
    }

    const session = getSession<DemoData>(c);
    // A new id at the moment of privilege change: an id planted or seen before login is now dead.
    await session.regenerate();
    session.set("user", username);
    session.addFlash(`Welcome, ${username}!`);
    await session.save();
    return c.redirect("/", 302);
  });

  // POST only (and SameSite=Lax): a cross-site link or image cannot sign anyone out.
  app.post("/logout", async (c) => {
    await getSession<DemoData>(c).destroy();
    return c.redirect("/login", 302);
  });

  return app;
}
