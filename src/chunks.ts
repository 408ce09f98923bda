/**
 * One sealed value over several cookies (`chunks` on `CookieStore`): the names of the chunks, how a
 * value is split so each whole `Set-Cookie` line fits, and how chunks are joined back.
 *
 * Chunk `0` keeps the session's name and chunk `k` is named `name.k` (`session`, `session.1`, ...):
 * a suffix keeps a `__Host-`/`__Secure-` prefix on every chunk, and a session small enough for one
 * cookie is exactly the cookie it would be without chunking. A session over several cookies says
 * how many in its first chunk (`session=3~...`), so chunks past those are ignored: a `session.5`
 * planted by a sibling subdomain with `Domain=` (which the jar's host-only deletion cannot remove)
 * neither spoils the value nor signs the user out. The count is not authenticated and need not be:
 * the value the chunks join to is, as a whole, so a missing, reordered or mixed chunk (or a changed
 * count) joins to a value that opens nothing.
 *
 * @module
 */

import { serializeCookie } from "./cookie.ts";
import type { ResolvedCookieOptions } from "./options.ts";

/** The most bytes of one whole `Set-Cookie` line (name, value and attributes) a chunk may take. */
export const MAX_LINE_BYTES = 4096;

/** The most chunks a store may allow: 10 full chunks are 40 KB of Cookie header, past common server limits. */
export const MAX_CHUNKS = 10;

/**
 * The default most bytes one session's cookies may add to the `Cookie` header: nginx's default
 * `large_client_header_buffers` holds 8 KB a header line, and past it the server answers 431 before
 * the app runs, so the user could not even reach a logout route.
 */
export const DEFAULT_MAX_HEADER_BYTES = 8192;

const encoder = new TextEncoder();

/** The cookie name of chunk `index` of the session `name`. */
export function chunkName(name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`;
}

/** Every cookie name a session of `chunks` chunks may use. */
export function chunkNames(name: string, chunks: number): string[] {
  return Array.from({ length: chunks }, (_, index) => chunkName(name, index));
}

// Between the count and the first chunk's share of the value: not a character of base64url or of
// our dotted formats, so a value that starts with a count cannot be a whole sealed value.
const COUNT_MARK = "~";
const COUNTED = /^(\d{1,2})~/;

/**
 * The values to try for a chunked session, from the parsed `Cookie` header: for the j-th value of
 * `name`, that value alone when it carries no count, else it joined with the j-th value of
 * `name.1` ... up to the count it carries; one whose chunks are not all there (or whose count is
 * out of range) is left out. Values of one name pair up by position because browsers order them
 * the same way for every name (longest path first, then oldest), so the chunks of one cookie jar
 * entry line up.
 */
export function joinChunks(cookies: ReadonlyMap<string, readonly string[]>, name: string, chunks: number): string[] | undefined {
  const first = cookies.get(name);
  if (!first) return undefined;
  const joined: string[] = [];
  first.forEach((value, position) => {
    const counted = COUNTED.exec(value);
    if (!counted) return void joined.push(value);
    const count = Number(counted[1]);
    if (count < 2 || count > chunks) return;
    let whole = value.slice(counted[0].length);
    for (let index = 1; index < count; index++) {
      const part = cookies.get(chunkName(name, index))?.[position];
      if (part === undefined) return;
      whole += part;
    }
    joined.push(whole);
  });
  return joined;
}

/**
 * The `Set-Cookie` lines of `value` split over the fewest of at most `chunks` cookies that hold it,
 * each whole line within `MAX_LINE_BYTES`, the first carrying the count when there are several; or
 * `undefined` when that many do not hold it. Values are base64url and dots, so one character is
 * one byte and a split anywhere is safe.
 */
export function chunkCookies(name: string, value: string, options: ResolvedCookieOptions, chunks: number): string[] | undefined {
  for (let count = 1; count <= chunks; count++) {
    const lines = split(name, value, options, count);
    if (lines) return lines;
  }
  return undefined;
}

/** `value` over exactly `count` lines, or undefined if they do not hold it. */
function split(name: string, value: string, options: ResolvedCookieOptions, count: number): string[] | undefined {
  const lines: string[] = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    const cookieName = chunkName(name, index);
    const head = index === 0 && count > 1 ? `${count}${COUNT_MARK}` : "";
    const room = MAX_LINE_BYTES - encoder.encode(serializeCookie(cookieName, head, options)).length;
    if (room <= 0) return undefined;
    lines.push(serializeCookie(cookieName, head + value.slice(at, at + room), options));
    at += room;
  }
  return at >= value.length ? lines : undefined;
}

/**
 * The bytes `lines` (Set-Cookie values from `serializeCookie`, which always writes attributes after
 * a `;`) add to a `Cookie` header: each `name=value`, and `; ` between.
 */
export function cookieHeaderBytes(lines: readonly string[]): number {
  let total = 2 * (lines.length - 1);
  for (const line of lines) total += encoder.encode(line.slice(0, line.indexOf(";"))).length;
  return total;
}
