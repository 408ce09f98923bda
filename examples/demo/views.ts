/**
 * The demo's pages. Hono's `html` template escapes every interpolated value (user names come from
 * the form), and nested `html` fragments stay as markup.
 *
 * @module
 */

import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One row of the "Your sessions" page. */
export interface SessionRow {
  id: string;
  createdAt: number;
  expiresAt: number;
  current: boolean;
}

function page(title: string, body: Markup): Markup {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title} · web-sessions demo</title></head>
<body>
<h1>${title}</h1>
${body}
</body>
</html>`;
}

function flashList(flashes: readonly string[]): Markup {
  return html`${flashes.map((flash) => html`<p role="status">${flash}</p>`)}`;
}

function time(ms: number): Markup {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>`;
}

export function loginPage({ error, username = "", password }: { error?: string; username?: string; password: string }): Markup {
  return page(
    "Sign in",
    html`${error ? html`<p role="alert"><strong>${error}</strong></p>` : ""}
<form method="post" action="/login">
  <p><label>Username <input name="username" value="${username}" required autofocus></label></p>
  <p><label>Password <input name="password" type="password" required></label></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p>Any non-empty username works; the password is <code>${password}</code>.</p>`,
  );
}

export function homePage({ user, visits, flashes, sessionsPage }: { user: string; visits: number; flashes: readonly string[]; sessionsPage: boolean }): Markup {
  return page(
    "Home",
    html`${flashList(flashes)}
<p>Signed in as <strong>${user}</strong>.</p>
<p>Visits in this session: <strong id="visits">${visits}</strong></p>
${sessionsPage ? html`<p><a href="/sessions">Your sessions</a></p>` : ""}
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`,
  );
}

export function sessionsPage({ user, rows, flashes }: { user: string; rows: readonly SessionRow[]; flashes: readonly string[] }): Markup {
  const others = rows.filter((row) => !row.current).length;
  return page(
    "Your sessions",
    html`${flashList(flashes)}
<p>Signed in as <strong>${user}</strong> in <span id="session-count">${rows.length}</span> browser(s).</p>
<table>
<thead><tr><th>Session</th><th>Signed in</th><th>Expires</th><th></th></tr></thead>
<tbody>
${rows.map(
  (row) => html`<tr data-session="${row.id.slice(0, 8)}"><td><code>${row.id.slice(0, 8)}…</code></td><td>${time(row.createdAt)}</td><td>${time(row.expiresAt)}</td><td>${row.current ? html`<strong class="current">this browser</strong>` : ""}</td></tr>
`,
)}</tbody>
</table>
${others > 0 ? html`<form method="post" action="/sessions/sign-out-others"><button type="submit">Sign out everywhere else</button></form>` : html`<p>No other browser is signed in.</p>`}
<p><a href="/">Home</a></p>`,
  );
}
