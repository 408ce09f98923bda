/**
 * The least any cookie session middleware for Hono can add to a request, written by hand for the
 * "minimal session middleware" rows: read the Cookie header, find the session's value with indexOf
 * and slice, look the session up, hand it to the handler with `c.set`, `await next()`, and (on the
 * counter route) save it and append one Set-Cookie. No crypto, no JSON, no options, no checks a
 * library must make: next to web-sessions' null-store row it shows how much of web-sessions' own
 * machinery any middleware would pay anyway.
 */

import type { MiddlewareHandler } from "hono";
import { ATTRIBUTES, SESSION_COOKIE } from "./browser-cookie.ts";

export type SessionMap = Map<string, unknown>;

/** `c.var.session`: the request's session data. */
export interface MinimalEnv {
  Variables: { session: SessionMap };
}

const PREFIX = `${SESSION_COOKIE}=`;

/** The session cookie's value in a Cookie header (`name=value; name=value`), if it has one. */
export function sessionValue(header: string | null): string | undefined {
  if (header === null) return undefined;
  const at = header.indexOf(PREFIX);
  // Only a whole name: at the start, or after "; ".
  if (at < 0 || (at > 0 && header.charCodeAt(at - 1) !== 32)) return undefined;
  const start = at + PREFIX.length;
  const end = header.indexOf(";", start);
  return header.slice(start, end < 0 ? undefined : end);
}

/**
 * Counter route: the session held under its cookie's value (a new, empty one otherwise); after the
 * handler, saved as NullStore saves (the Map itself, under the one fixed `token`) and its cookie
 * set. Like NullStore, no copy: only a single benchmark client can get away with that.
 */
export function minimalCounterSession(held: Map<string, SessionMap>, token: string): MiddlewareHandler<MinimalEnv> {
  const setCookie = sessionSetCookie(token);
  return async function minimalSession(c, next) {
    const value = sessionValue(c.req.raw.headers.get("Cookie"));
    const session = (value === undefined ? undefined : held.get(value)) ?? new Map<string, unknown>();
    c.set("session", session);
    await next();
    held.set(token, session);
    c.res.headers.append("Set-Cookie", setCookie);
  };
}

/**
 * Read route: `opened` maps a cookie value to the session data opened from it (a cache hit every
 * time). Each request gets its own copy, arrays included, so a handler that changes its session
 * cannot change another request's.
 */
export function minimalReadSession(opened: Map<string, SessionMap>): MiddlewareHandler<MinimalEnv> {
  return async function minimalSession(c, next) {
    const value = sessionValue(c.req.raw.headers.get("Cookie"));
    c.set("session", copySession(value === undefined ? undefined : opened.get(value)));
    await next();
  };
}

/** A request's own copy of a session (arrays included), or a new, empty one. */
export function copySession(hit: SessionMap | undefined): SessionMap {
  const session = new Map<string, unknown>();
  if (hit) for (const [key, data] of hit) session.set(key, Array.isArray(data) ? data.slice() : data);
  return session;
}

/** The Set-Cookie line that sends `token` as the session's cookie. */
export function sessionSetCookie(token: string): string {
  return `${PREFIX}${token}${ATTRIBUTES}`;
}
