/**
 * `list()` and `destroyAll()` over an owner's index, in bounded steps. The index is a sorted set
 * in a key of its own, which on a Redis Cluster lives in another hash slot than the sessions, so
 * nothing here needs two keys in one script. The session's own hash is the truth; the index only
 * has to hold every live session of its owner (it may hold more):
 * - a save that gives a session an owner adds the id (`ZADD ... GT`, scored by the expiry the save
 *   announces) *before* it writes the hash, so the index never misses a session;
 * - each indexed id is asked of its own hash (session-scripts.ts), so an id that moved to another
 *   owner, lost its owner or expired is never listed or counted;
 * - an id found stale (no hash, another owner's) is pruned only once its score has passed: until
 *   then it may belong to a save in flight that added it and has not written the hash yet. An id
 *   this store ended is dropped at once (an ended session is never written again: its saves must
 *   find it, and new ids are never reused).
 *
 * Bounded steps: the index is read by `ZSCAN` pages, and no command or script handles more than
 * `BATCH` sessions, so an owner with 20,000 sessions never blocks Redis for long. On a single Redis
 * (and Upstash) one script asks a whole batch of hashes; on a Redis Cluster, where the hashes of a
 * batch live in as many slots, one script per hash, many in flight at once.
 *
 * Finality of `destroyAll()`: after ending every id it found, it reads the index again until a
 * pass finds no id it has not handled. A `regenerate()` racing it adds its new id to the index
 * before it checks (and deletes) the old one, so either that check finds the old id gone and the
 * regenerating save deletes its new id itself, or the old id was still there when the save
 * checked, before `destroyAll()` ended it, and the new id was in the index by then: the next pass
 * finds and ends it.
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import type { SessionInfo } from "../../store.ts";
import { decodeJson } from "../../json.ts";
import { sessionInfo } from "../server-store.ts";
import type { Commands } from "./commands.ts";
import { DATA, VALUE } from "./fields.ts";
import { END_SCRIPT, INFO_SCRIPT, parseEnded, parseInfo } from "./session-scripts.ts";
import { INDEX_PAGE_SCRIPT, INDEX_PRUNE_SCRIPT } from "./index-scripts.ts";
import type { RedisCommand } from "./script.ts";

/** The most sessions one command or script handles (and one page of the index asks for fewer). */
export const BATCH = 1000;
const PAGE = 500;

/** What the index operations need of the driver. */
export interface IndexContext {
  send: RedisCommand;
  commands: Commands;
  /** The key of session `id` is `prefix + id`. */
  prefix: string;
  /** A Redis Cluster: a script may name one session's hash only. */
  cluster: boolean;
}

/** Runs a session script over `ids`, in groups one script may name, and answers per id in order. */
async function askSessions<T>(
  context: IndexContext,
  action: string,
  ids: readonly string[],
  run: (keys: string[]) => Promise<T[]>,
): Promise<T[]> {
  const groups: string[][] = context.cluster ? ids.map((id) => [id]) : [ids.slice()];
  const answers = await context.commands.each(action, groups, (group) => run(group.map((id) => context.prefix + id)));
  return answers.flat();
}

/** Every id in the index, page by page (an id may come twice); each page at most `BATCH` ids. */
async function* pages(context: IndexContext, action: string, index: string): AsyncGenerator<Array<[id: string, score: number]>> {
  let cursor = "0";
  do {
    const reply = await context.commands.call(action, () => INDEX_PAGE_SCRIPT.run(context.send, [index], [cursor, String(PAGE)]));
    if (!Array.isArray(reply) || !/^=\d+$/.test(String(reply[0]))) {
      throw new SessionError("ERR_SESSION_STORE", `Redis answered the ${action} with something that is not a page of the index`);
    }
    const flat = reply.map((item) => String(item).slice(1));
    cursor = flat[0]!;
    const page: Array<[string, number]> = [];
    for (let i = 1; i + 1 < flat.length; i += 2) page.push([flat[i]!, Number(flat[i + 1])]);
    for (let at = 0; at < page.length; at += BATCH) yield page.slice(at, at + BATCH);
  } while (cursor !== "0");
}

/** Drops ended ids at once and stale ones whose score has passed, in one script on the index. */
async function prune(context: IndexContext, action: string, index: string, now: number, dropped: string[], stale: string[]): Promise<void> {
  if (dropped.length + stale.length === 0) return;
  await context.commands.call(action, () =>
    INDEX_PRUNE_SCRIPT.run(context.send, [index], [String(now), String(dropped.length), ...dropped, ...stale]),
  );
}

/** The live sessions of `owner`: each indexed id checked against its own hash, with its `listed` values. */
export async function listOwner(context: IndexContext, index: string, owner: string, now: number, listed: readonly string[] | undefined): Promise<SessionInfo[]> {
  const live = new Map<string, SessionInfo>();
  const fields = (listed ?? []).map((key) => DATA + key);
  for await (const page of pages(context, "list", index)) {
    const ids = page.map(([id]) => id);
    const infos = await askSessions(context, "list", ids, (keys) =>
      INFO_SCRIPT.run(context.send, keys, [owner, ...fields]).then((reply) => parseInfo(reply, keys.length, fields.length)),
    );
    const stale: string[] = [];
    page.forEach(([id, score], i) => {
      const info = infos[i];
      if (!info) return void stale.push(id);
      // Hashes written before the `m:e` field existed: the index's score is their expiry.
      const expiresAt = info.expiresAt ?? score;
      if (expiresAt <= now) return;
      const times = { id, createdAt: info.createdAt, expiresAt, lastSeenAt: info.lastSeenAt };
      live.set(id, sessionInfo(times, listed, (key) => {
        const stored = info.values[listed!.indexOf(key)];
        return stored === undefined ? undefined : decodeJson(stored.slice(VALUE.length));
      }));
    });
    await prune(context, "list", index, now, [], stale);
  }
  return [...live.values()];
}

/** Ends every session of `owner` but `except`, until a pass over the index finds nothing new. */
export async function endOwner(context: IndexContext, index: string, owner: string, except: string | undefined, now: number): Promise<number> {
  const handled = new Set<string>(except === undefined ? [] : [except]);
  let ended = 0;
  let found: boolean;
  do {
    found = false;
    for await (const page of pages(context, "destroyAll", index)) {
      const ids = [...new Set(page.map(([id]) => id))].filter((id) => !handled.has(id));
      if (ids.length === 0) continue;
      found = true;
      const replies = await askSessions(context, "destroyAll", ids, (keys) =>
        END_SCRIPT.run(context.send, keys, [owner]).then((reply) => parseEnded(reply, keys.length)),
      );
      const dropped: string[] = [];
      const stale: string[] = [];
      ids.forEach((id, i) => {
        handled.add(id);
        if (replies[i]!.state === "ended") dropped.push(id);
        else stale.push(id);
      });
      ended += dropped.length;
      await prune(context, "destroyAll", index, now, dropped, stale);
    }
  } while (found);
  return ended;
}
