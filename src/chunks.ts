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
/**
 * `value` split over the fewest of at most `chunks` cookies that hold it, as `[cookieName, part]`
 * pairs, the first part carrying the count when there are several; each whole `Set-Cookie` line
 * within `MAX_LINE_BYTES`, `extraBytes` more per line included (attributes a framework adds to
 * ours); or `undefined` when that many do not hold it. Values are base64url and dots, so one
 * character is one byte and a split anywhere is safe.
 */
export function splitChunks(
  name: string,
  value: string,
  options: ResolvedCookieOptions,
  chunks: number,
  extraBytes = 0,
): [string, string][] | undefined {
  for (let count = 1; count <= chunks; count++) {
    const parts = split(name, value, options, count, extraBytes);
    if (parts) return parts;
  }
  return undefined;
}

/** `value` over exactly `count` cookies, or undefined if they do not hold it. */
function split(name: string, value: string, options: ResolvedCookieOptions, count: number, extraBytes: number): [string, string][] | undefined {
  const parts: [string, string][] = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    const cookieName = chunkName(name, index);
    const head = index === 0 && count > 1 ? `${count}${COUNT_MARK}` : "";
    const room = MAX_LINE_BYTES - extraBytes - encoder.encode(serializeCookie(cookieName, head, options)).length;
    if (room <= 0) return undefined;
    parts.push([cookieName, head + value.slice(at, at + room)]);
    at += room;
  }
  return at >= value.length ? parts : undefined;
}

/** The `Set-Cookie` lines of `splitChunks`, or `undefined` when `chunks` cookies do not hold `value`. */
export function chunkCookies(name: string, value: string, options: ResolvedCookieOptions, chunks: number): string[] | undefined {
  return splitChunks(name, value, options, chunks)?.map(([cookieName, part]) => serializeCookie(cookieName, part, options));
}

/** The bytes the cookies `parts` add to a `Cookie` header: each `name=value`, and `; ` between. */
export function cookieHeaderBytes(parts: ReadonlyArray<readonly [name: string, value: string]>): number {
  let total = 2 * (parts.length - 1);
  for (const [name, value] of parts) total += encoder.encode(name).length + 1 + value.length;
  return total;
}
