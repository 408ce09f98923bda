/**
 * The seams of `CookieStore` for formats other than its compact one: a `CookieFormat` seals and
 * opens its own values, a `CookieReader` opens another library's cookies (`migrateFrom`).
 *
 * The `"jwt"` format is registered here by `web-sessions/jwt` when that module is imported,
 * rather than imported by `CookieStore`: jose then stays out of every app (and every bundle, where
 * even a dynamic `import()` is inlined) that keeps the default format.
 *
 * @module
 */

import type { StoredSession } from "../store.ts";

/** What a format seals: the session as plain values. */
export interface SessionToSeal {
  id: string;
  /** Ms since the epoch. */
  createdAt: number;
  /** Ms since the epoch. */
  expiresAt: number;
  data: Record<string, unknown>;
}

/** A way of writing sessions into cookie values (the compact format is built into `CookieStore`). */
export interface CookieFormat {
  /** Seals a session for the cookie `name`. */
  seal(name: string, session: SessionToSeal): Promise<string>;
  /** Opens a value sealed for the cookie `name`; `undefined` for anything forged, foreign or expired. Never rejects for bad input. */
  open(name: string, value: string): Promise<StoredSession | undefined>;
  /** Whether `value` has this format's shape: no crypto. True for every value `open` could open (see `Store.isWellFormed`). */
  isWellFormed(value: string): boolean;
}

/**
 * Reads another library's session cookies, so a `CookieStore` with `migrateFrom` takes over its
 * sessions: one that opens loads with its data and is written back in the store's own format.
 *
 * @example
 * ```ts
 * import type { CookieReader } from "web-sessions";
 * import { fromHonoSession } from "web-sessions/jwt";
 *
 * const readers: CookieReader[] = [fromHonoSession({ secret: process.env.AUTH_SECRET! })];
 * ```
 */
export interface CookieReader {
  /** Opens a value of the cookie `name`; `undefined` for anything it cannot open. Never rejects for bad input. */
  read(name: string, value: string): Promise<StoredSession | undefined>;
  /** Whether `value` has the shape of the library's cookies (see `Store.isWellFormed`). Without it, every value is read. */
  isWellFormed?(value: string): boolean;
}

/** Builds a format for a store's secrets (newest first) and its `encrypt` option. */
export type CookieFormatFactory = (options: { secrets: readonly string[]; encrypt: boolean }) => CookieFormat;

const formats = new Map<string, CookieFormatFactory>();

/** Makes `format: name` available to `CookieStore` (called by `web-sessions/jwt` when it loads). */
export function registerCookieFormat(name: "jwt", factory: CookieFormatFactory): void {
  formats.set(name, factory);
}

/** The factory of a registered format, if its module was imported. */
export function registeredCookieFormat(name: string): CookieFormatFactory | undefined {
  return formats.get(name);
}
