/**
 * The demo's layout, sign-in page and home page. Hono's `html` template escapes every interpolated
 * value (user names come from the form), and nested `html` fragments stay as markup.
 *
 * @module
 */

import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { STYLES } from "./styles.ts";

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

interface Layout {
  title: string;
  /** The signed-in user: the bar then shows Home, Devices and Sign out. */
  user?: string;
  /** Which link of the bar is the page shown. */
  current?: "home" | "devices";
  /** The store lists a user's sessions, so there is a devices page to link to. */
  devicesPage?: boolean;
  /** A small centred card (the sign-in form) instead of the full width. */
  narrow?: boolean;
  flashes?: readonly string[];
  body: Markup;
}

function navLink(href: string, label: string, current: boolean): Markup {
  return current ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`;
}

function bar({ user, current, devicesPage }: Pick<Layout, "user" | "current" | "devicesPage">): Markup {
  const nav = user
    ? html`<nav>
      ${navLink("/", "Home", current === "home")}
      ${devicesPage ? navLink("/devices", "Devices", current === "devices") : ""}
      <form method="post" action="/logout"><button type="submit" class="link">Sign out</button></form>
    </nav>`
    : "";
  return html`<header class="bar"><div class="bar-inner"><a class="brand" href="/">web-sessions <span>demo</span></a>${nav}</div></header>`;
}

export function page({ title, user, current, devicesPage, narrow = false, flashes = [], body }: Layout): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · web-sessions demo</title>
<style>${raw(STYLES)}</style>
</head>
<body>
${bar({ user, current, devicesPage })}
<main class="${narrow ? "narrow" : "wide"}"><div class="card">
<h1>${title}</h1>
${flashes.map((flash) => html`<p class="notice ok" role="status">${flash}</p>`)}
${body}
</div></main>
</body>
</html>`;
}

export function loginPage({ error, username = "", password }: { error?: string; username?: string; password: string }): Markup {
  return page({
    title: "Sign in",
    narrow: true,
    body: html`<p class="lead">Welcome back. Sign in to continue.</p>
${error ? html`<p class="notice error" role="alert">${error}</p>` : ""}
<form method="post" action="/login">
  <div class="field"><label for="username">Username</label><input id="username" name="username" type="text" value="${username}" autocomplete="username" required autofocus></div>
  <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
  <label class="check"><input type="checkbox" name="remember" value="on"><span>Remember me<small>Stay signed in for 30 days. Leave it unticked on a shared computer: closing the browser signs you out.</small></span></label>
  <button type="submit" class="primary">Sign in</button>
</form>
<p class="hint">Any username works; the password is <code>${password}</code>.</p>`,
  });
}

export function homePage({ user, visits, flashes, devicesPage }: { user: string; visits: number; flashes: readonly string[]; devicesPage: boolean }): Markup {
  return page({
    title: "Home",
    user,
    current: "home",
    devicesPage,
    flashes,
    body: html`<p class="lead">Signed in as <strong>${user}</strong>.</p>
<div class="stats">
  <div class="stat"><b id="visits">${visits}</b><span>visits in this session</span></div>
</div>
${devicesPage ? html`<p><a href="/devices">See the devices you are signed in on →</a></p>` : ""}`,
  });
}
