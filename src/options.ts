/**
 * Cookie options: their defaults, how the layers combine, and the checks made when a store or
 * middleware is built.
 *
 * @module
 */

import { assertConfig } from "./errors.ts";

/** The `SameSite` attribute, in either spelling. */
export type SameSite = "Strict" | "Lax" | "None" | "strict" | "lax" | "none";

/** Cookie attributes. Set on a store, on the middleware, or per session with `session.options()`. */
export interface CookieOptions {
  /** @default "/" */
  path?: string;
  /** @default undefined (host-only cookie) */
  domain?: string;
  /**
   * Lifetime in seconds, also the server-side lifetime of the session. On a session,
   * `maxAge <= 0` deletes it at `save()`.
   * @default 2592000 (30 days)
   */
  maxAge?: number;
  /** @default true */
  secure?: boolean;
  /** @default true */
  httpOnly?: boolean;
  /** @default "Lax" */
  sameSite?: SameSite;
  /** CHIPS: a cookie partitioned by top-level site. Needs `secure`. @default false */
  partitioned?: boolean;
  /**
   * With `false` ("remember me" left unticked) the cookie carries neither `Max-Age` nor `Expires`,
   * so the browser forgets it when it closes; the session still ends after `maxAge` in the store
   * and inside a sealed cookie. Set on a session, it is kept with the session, so later saves and
   * rolling refreshes keep it a browser-session cookie.
   * @default true
   */
  persistent?: boolean;
}

/** Cookie options with every default filled in. */
export interface ResolvedCookieOptions extends Required<Omit<CookieOptions, "domain" | "sameSite">> {
  domain?: string;
  sameSite: "Strict" | "Lax" | "None";
}

/** Thirty days, in seconds. */
export const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;

const DEFAULTS: ResolvedCookieOptions = {
  path: "/",
  maxAge: DEFAULT_MAX_AGE,
  secure: true,
  httpOnly: true,
  sameSite: "Lax",
  partitioned: false,
  persistent: true,
};

const SAME_SITE = { strict: "Strict", lax: "Lax", none: "None" } as const;

// RFC 6265 §4.1.1: path-value is any CHAR (US-ASCII) but CTLs and ";". A ";" or a line break would
// let a path taken from the request URL write attributes (or headers) of its own.
const PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/;
// RFC 6265 §4.1.2.3 / RFC 1123 §2.1: a host name, optionally with the leading dot older browsers
// wrote: labels of letters, digits and inner hyphens, at most 63 characters each, 253 in all.
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const DOMAIN = new RegExp(`^\\.?${LABEL}(?:\\.${LABEL})*$`);

function isPath(path: unknown): boolean {
  return typeof path === "string" && PATH.test(path);
}

function isDomain(domain: unknown): boolean {
  return typeof domain === "string" && domain.replace(/^\./, "").length <= 253 && DOMAIN.test(domain);
}

/** Checks options given to a store or a middleware, where `maxAge` must be positive. */
export function checkCookieOptions(options: CookieOptions | undefined, where: string): void {
  if (!options) return;
  const { maxAge, sameSite, path, domain, persistent } = options;
  assertConfig(
    maxAge === undefined || (Number.isFinite(maxAge) && maxAge > 0),
    `${where}: cookie.maxAge must be a positive number of seconds (got ${maxAge})`,
  );
  assertConfig(
    // Own keys only: `in` also finds "constructor" and "__proto__" on Object.prototype.
    sameSite === undefined || (typeof sameSite === "string" && Object.hasOwn(SAME_SITE, sameSite.toLowerCase())),
    `${where}: cookie.sameSite must be "Strict", "Lax" or "None" (got ${sameSite})`,
  );
  assertConfig(
    path === undefined || isPath(path),
    `${where}: cookie.path must start with "/" and hold only printable ASCII other than ";"`,
  );
  assertConfig(domain === undefined || isDomain(domain), `${where}: cookie.domain must be a host name, like "example.com"`);
  assertConfig(persistent === undefined || typeof persistent === "boolean", `${where}: cookie.persistent must be true or false`);
}

/** Lays `layers` over the defaults, later layers winning. */
export function resolveCookieOptions(...layers: (CookieOptions | undefined)[]): ResolvedCookieOptions {
  const resolved: ResolvedCookieOptions = { ...DEFAULTS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
    }
  }
  resolved.sameSite = SAME_SITE[resolved.sameSite.toLowerCase() as keyof typeof SAME_SITE];
  return resolved;
}

// RFC 6265 §4.1.1: a cookie-name is an RFC 7230 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True when `name` may be used as a cookie name. */
export function isCookieName(name: string): boolean {
  return TOKEN.test(name);
}

/** Checks a cookie name against the token grammar, its prefix rules and the browser's rules. */
export function checkCookieName(name: string, options: ResolvedCookieOptions): void {
  assertConfig(isCookieName(name), `"${name}" is not a valid cookie name (RFC 6265 token)`);
  // RFC 6265bis §4.1.3: prefixed names are only accepted by browsers under these conditions, and
  // browsers match the prefixes without regard to case.
  const lower = name.toLowerCase();
  const host = lower.startsWith("__host-");
  if (host || lower.startsWith("__secure-")) {
    assertConfig(options.secure, `cookie "${name}": the ${name.slice(0, name.indexOf("-") + 1)} prefix needs secure: true`);
  }
  if (host) {
    assertConfig(options.path === "/" && !options.domain, `cookie "${name}": the __Host- prefix needs path "/" and no domain`);
  }
  assertConfig(options.sameSite !== "None" || options.secure, `cookie "${name}": sameSite "None" needs secure: true`);
  assertConfig(!options.partitioned || options.secure, `cookie "${name}": partitioned needs secure: true`);
}
