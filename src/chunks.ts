/**
 * One sealed value over several cookies (`chunks` on `CookieStore`): the names of the chunks, how a
 * value is split so each whole `Set-Cookie` line fits, and how chunks are joined back.
 *
 * Chunk `0` keeps the session's name and chunk `k` is named `name.k` (`session`, `session.1`, ...):
 * a suffix keeps a `__Host-`/`__Secure-` prefix on every chunk, and a session small enough for one
 * cookie is exactly the cookie it would be without chunking. Chunks carry no header of their own:
 * the value they join to is authenticated as a whole, so a missing, extra, reordered or mixed chunk
 * joins to a value that opens nothing.
 *
 * @module
 */

import { serializeCookie } from "./cookie.ts";
import type { ResolvedCookieOptions } from "./options.ts";

/** The most bytes of one whole `Set-Cookie` line (name, value and attributes) a chunk may take. */
export const MAX_LINE_BYTES = 4096;

/** The most chunks a store may allow: 10 full chunks are 40 KB of Cookie header, past common server limits. */
export const MAX_CHUNKS = 10;

const encoder = new TextEncoder();

/** The cookie name of chunk `index` of the session `name`. */
export function chunkName(name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`;
}

/** Every cookie name a session of `chunks` chunks may use. */
export function chunkNames(name: string, chunks: number): string[] {
  return Array.from({ length: chunks }, (_, index) => chunkName(name, index));
}

/**
 * The values to try for a chunked session, from the parsed `Cookie` header: the j-th value of
 * `name`, `name.1`, ... joined, up to the first chunk name without a j-th value. Values of one name
 * pair up by position because browsers order them the same way for every name (longest path first,
 * then oldest), so the chunks of one cookie jar entry line up.
 */
export function joinChunks(cookies: ReadonlyMap<string, readonly string[]>, name: string, chunks: number): string[] | undefined {
  const first = cookies.get(name);
  if (!first) return undefined;
  return first.map((value, position) => {
    let joined = value;
    for (let index = 1; index < chunks; index++) {
      const part = cookies.get(chunkName(name, index))?.[position];
      if (part === undefined) break;
      joined += part;
    }
    return joined;
  });
}

/**
 * `value` split over at most `chunks` cookies, as `[cookieName, part]` pairs, each whole
 * `Set-Cookie` line within `MAX_LINE_BYTES`, `extraBytes` more per line included (attributes a
 * framework adds to ours); or `undefined` when that many do not hold it. Values are base64url and
 * dots, so one character is one byte and a split anywhere is safe.
 */
export function splitChunks(
  name: string,
  value: string,
  options: ResolvedCookieOptions,
  chunks: number,
  extraBytes = 0,
): [string, string][] | undefined {
  const parts: [string, string][] = [];
  let at = 0;
  for (let index = 0; index < chunks && (at < value.length || index === 0); index++) {
    const cookieName = chunkName(name, index);
    const room = MAX_LINE_BYTES - extraBytes - encoder.encode(serializeCookie(cookieName, "", options)).length;
    if (room <= 0) return undefined;
    parts.push([cookieName, value.slice(at, at + room)]);
    at += room;
  }
  return at >= value.length ? parts : undefined;
}

/** The `Set-Cookie` lines of `splitChunks`, or `undefined` when `chunks` cookies do not hold `value`. */
export function chunkCookies(name: string, value: string, options: ResolvedCookieOptions, chunks: number): string[] | undefined {
  return splitChunks(name, value, options, chunks)?.map(([cookieName, part]) => serializeCookie(cookieName, part, options));
}
