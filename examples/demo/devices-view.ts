/**
 * The devices page: each browser the user is signed in on, with its sign-in time and last activity,
 * "This browser" on the current one, a "Sign out" button on each of the others, and "Sign out all
 * other devices".
 *
 * @module
 */

import { html } from "hono/html";
import type { Device } from "./device.ts";
import { page } from "./views.ts";
import type { Markup } from "./views.ts";

/** One signed-in browser, as the page shows it. */
export interface DeviceRow {
  /** Names the session in the sign-out form without showing its id (see `devices.ts`). */
  handle: string;
  device: Device;
  signedInAt: number;
  lastSeenAt: number;
  current: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const dateTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** "3 Dec 2026, 13:40 UTC" in a `<time>`: the server does not know the reader's time zone. */
function time(ms: number): Markup {
  return html`<time datetime="${new Date(ms).toISOString()}">${dateTime.format(ms)} UTC</time>`;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** The last activity, no more precise than the store keeps it (to five minutes). */
export function lastActive(lastSeenAt: number, now: number): string {
  const ago = now - lastSeenAt;
  if (ago < 5 * MINUTE) return "Active in the last 5 minutes";
  if (ago < HOUR) return `Active ${count(Math.floor(ago / MINUTE), "minute")} ago`;
  if (ago < 48 * HOUR) return `Active ${count(Math.floor(ago / HOUR), "hour")} ago`;
  return `Active ${count(Math.floor(ago / (24 * HOUR)), "day")} ago`;
}

const ICONS: Record<Device["kind"], Markup> = {
  computer: html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="3" y="4" width="18" height="12" rx="2"/><path d="M8 20h8M12 16v4"/></svg>`,
  phone: html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="7" y="2" width="10" height="20" rx="2"/><path d="M11 18h2"/></svg>`,
  tablet: html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="4" y="2" width="16" height="20" rx="2"/><path d="M11 18h2"/></svg>`,
};

function row(device: DeviceRow, now: number): Markup {
  const { handle, current } = device;
  const { name, kind } = device.device;
  const activity = current ? "Active now" : lastActive(device.lastSeenAt, now);
  const action = current
    ? html`<span class="badge">This browser</span>`
    : html`<form method="post" action="/devices/sign-out"><input type="hidden" name="device" value="${handle}"><button type="submit" class="secondary" aria-label="Sign out ${name}">Sign out</button></form>`;
  return html`<li class="device${current ? " current" : ""}" data-device="${handle}">
  <span class="icon">${ICONS[kind]}</span>
  <div class="about"><p class="name">${name}</p><p class="meta">Signed in ${time(device.signedInAt)} · ${activity}</p></div>
  ${action}
</li>`;
}

export function devicesPage({ user, rows, flashes, now }: { user: string; rows: readonly DeviceRow[]; flashes: readonly string[]; now: number }): Markup {
  const others = rows.length - rows.filter((each) => each.current).length;
  return page({
    title: "Devices",
    user,
    current: "devices",
    devicesPage: true,
    flashes,
    body: html`<p class="lead">You, <strong>${user}</strong>, are signed in on <span id="device-count">${rows.length}</span> ${rows.length === 1 ? "device" : "devices"}. Don't recognise one? Sign it out.</p>
<ul class="devices">
${rows.map((each) => row(each, now))}
</ul>
<div class="actions">${
      others > 0
        ? html`<form method="post" action="/devices/sign-out-others"><button type="submit" class="danger">Sign out all other devices</button></form>`
        : html`<p class="muted">No other device is signed in.</p>`
    }</div>`,
  });
}
