/**
 * The Durable Objects driver of the server-store engine: each operation is RPC calls to
 * `SessionsObject`s. Loading a session is one call to its object, and so is a save that leaves the
 * owner as it is (the common request).
 *
 * There is no transaction over two objects, so the session's object is the source of truth and
 * the owner index only has to hold every live session of its owner (it may hold more):
 * - A save that gives a session an owner adds the id to that owner's index *before* it writes the
 *   session (two calls; a sign-in). If the write then fails, the index holds a stale id, never
 *   misses one.
 * - `list()` and `destroyAll()` ask each indexed session's object (`info`, `end`), which answers
 *   for itself: live and of this owner, or not. So a session that moved to another owner, or
 *   expired, is never listed or counted, and `destroyAll()` ends sessions in their own objects,
 *   where a late save then finds a destroyed session and writes nothing.
 * - Stale ids are pruned as they are found. A destroyed or expired session (`gone`) never takes a
 *   write again, so its id goes at once. An id whose object is `empty`, or of another owner, may be
 *   waiting for the write that follows its index add: it goes only once the expiry announced with
 *   that add has passed (checked inside the owner's object), when such a write could only create an
 *   expired session.
 * - `destroy()` ends the session, then drops its id from its owner's index (a second call, only
 *   for a session with an owner).
 * - A save after `regenerate()` first ends the old id in its own object, which answers whether it
 *   was live, and only then writes the new id (after the index add of a sign-in, as above). If the
 *   old id was gone (another request signed it out, `destroyAll()`, expiry), nothing is written and
 *   the save finds the session gone: a regenerating request cannot sign a browser back in. Ending
 *   first costs no extra call, and fails closed: should a later call fail, the save rejects, no
 *   cookie of the new id goes out, and the session is signed out, never left open under two ids.
 *   The old id's object keeps the new id as its `successor`, and the old id stays in its owner's
 *   index, pointing there, until the new id is written (the save then drops it: one call more for
 *   a session with an owner).
 * - `destroyAll()` follows successors: an indexed session found `gone` that a regenerate moved to a
 *   new id is ended there too, and if that id's save has not landed yet its object is sealed, so the
 *   save finds it destroyed. Either destroyAll() ends the old id first (then the regenerate writes
 *   nothing) or the old id, still indexed, names its successor when destroyAll() reaches it: a
 *   session moved to a new id while destroyAll() runs is never left signed in. `list()` follows
 *   them the same way, and leaves an old id indexed while its successor is not written yet.
 * - Sessions are asked about `FAN_OUT` at a time, so an owner with many sessions does not open
 *   hundreds of calls at once (Workers bound the subrequests and connections of one request).
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import type { SessionInfo, StoredSession } from "../../store.ts";
import { decodeJson } from "../../json.ts";
import { sessionInfo } from "../server-store.ts";
import type { SessionDriver } from "../server-store.ts";
import type { WritePlan } from "../write-plan.ts";
import { ownerObjectName, sessionObjectName } from "./protocol.ts";
import type { SessionRecord, SessionState, Successor } from "./protocol.ts";

/** The RPC methods of a `SessionsObject`, as a stub of one offers them. */
export interface SessionsStub {
  load(now: number): Promise<SessionRecord | undefined>;
  save(plan: WritePlan, now: number): Promise<boolean>;
  end(owner: string | null, now: number, successor?: Successor, seal?: number): Promise<SessionState>;
  info(owner: string, now: number, listed?: readonly string[]): Promise<SessionState>;
  touch(at: number, staleBefore: number): Promise<void>;
  indexAdd(id: string, hint: number): Promise<void>;
  indexEntries(): Promise<Array<[id: string, hint: number]>>;
  indexPrune(dropped: string[], stale: string[], now: number): Promise<void>;
}

/**
 * A Durable Object namespace binding (`env.SESSIONS`), as far as the store uses it. Typed loosely
 * so that `DurableObjectNamespace<SessionsObject>` from the Workers types fits as it is.
 */
export interface SessionsNamespace {
  idFromName(name: string): unknown;
  get(id: never): unknown;
}

export class DurableObjectDriver implements SessionDriver {
  readonly #namespace: SessionsNamespace;

  constructor(namespace: SessionsNamespace) {
    this.#namespace = namespace;
  }

  async read(id: string): Promise<StoredSession | undefined> {
    const record = await this.#call("load", () => this.#session(id).load(Date.now()));
    return record && toStoredSession(id, record);
  }

  async write(plan: WritePlan): Promise<boolean> {
    return this.#call("save", async () => {
      const { previousId } = plan;
      let previousOwner: string | null = null;
      if (previousId !== undefined) {
        // The old id ends first (see this module's comment): no transaction spans its object and the new one's.
        const state = await this.#session(previousId).end(null, Date.now(), { id: plan.id, until: plan.expiresAt });
        if (state.state !== "ended") return false;
        previousOwner = state.owner;
      }
      if (typeof plan.owner === "string") await this.#owner(plan.owner).indexAdd(plan.id, plan.expiresAt);
      const written = await this.#session(plan.id).save(plan, Date.now());
      // The old id pointed destroyAll() at the new one until it was written: now it may leave the index.
      if (written && previousOwner !== null) await this.#owner(previousOwner).indexPrune([previousId!], [], 0);
      return written;
    });
  }

  remove(id: string): Promise<void> {
    return this.#call("destroy", async () => {
      await this.#end(id);
    });
  }

  touch(id: string, at: number, staleBefore: number): Promise<void> {
    return this.#call("touch", () => this.#session(id).touch(at, staleBefore));
  }

  list(owner: string, now: number, listed: readonly string[] | undefined): Promise<SessionInfo[]> {
    return this.#call("list", async () => {
      const index = this.#owner(owner);
      const ids = (await index.indexEntries()).map(([id]) => id);
      const states = await fanOut(ids, (id) => this.#session(id).info(owner, now, listed));
      const sessions = new Map<string, SessionInfo>();
      const pending = new Set<string>();
      await fanOut(ids, async (id, i) => {
        // A session a regenerate moved on is listed under the id it moved to.
        let state = states[i]!;
        for (let hops = 0; state.state === "gone" && state.successor && hops < MAX_HOPS; hops++) {
          id = state.successor.id;
          state = await this.#session(id).info(owner, now, listed);
        }
        if (state.state === "live") {
          const values = new Map(state.values);
          sessions.set(id, sessionInfo({ id, ...state, lastSeenAt: state.lastSeenAt }, listed, (key) => {
            const json = values.get(key);
            return json === undefined ? undefined : decodeJson(json);
          }));
        }
        // A regenerate's new id not written yet: its old id stays indexed, for destroyAll() to follow.
        if (state.state === "empty" && id !== ids[i]) pending.add(ids[i]!);
      });
      await this.#prune(index, ids, states, now, pending);
      return [...sessions.values()];
    });
  }

  removeAll(owner: string, except: string | undefined): Promise<number> {
    return this.#call("destroyAll", async () => {
      const now = Date.now();
      const index = this.#owner(owner);
      const ids = (await index.indexEntries()).map(([id]) => id).filter((id) => id !== except);
      const states = await fanOut(ids, (id) => this.#session(id).end(owner, now));
      const followed = await fanOut(states, (state) => this.#endSuccessors(owner, state, now, except));
      await this.#prune(index, ids, states, now);
      return states.filter(({ state }) => state === "ended").length + followed.reduce((sum, ended) => sum + ended, 0);
    });
  }

  /**
   * Ends where a session `gone` from the index had moved (a regenerate that ended it before
   * destroyAll() did), sealing an id whose save has not landed; how many were ended.
   */
  async #endSuccessors(owner: string, state: SessionState, now: number, except: string | undefined): Promise<number> {
    let ended = 0;
    for (let hops = 0; state.state === "gone" && state.successor && hops < MAX_HOPS; hops++) {
      const { id, until } = state.successor;
      if (id === except) break;
      state = await this.#session(id).end(owner, now, undefined, until);
      if (state.state === "ended") {
        ended++;
        if (state.owner !== null) await this.#owner(state.owner).indexPrune([id], [], 0);
      }
    }
    return ended;
  }

  /** Ends the session `id` and drops it from its owner's index. */
  async #end(id: string): Promise<void> {
    const state = await this.#session(id).end(null, Date.now());
    if (state.state === "ended" && state.owner !== null) await this.#owner(state.owner).indexPrune([id], [], 0);
  }

  /** Prunes the ids that answered anything but `live`, but `pending`, by the rules in this module's comment. */
  async #prune(index: SessionsStub, ids: string[], states: SessionState[], now: number, pending?: ReadonlySet<string>): Promise<void> {
    const dropped: string[] = [];
    const stale: string[] = [];
    states.forEach(({ state }, i) => {
      if (pending?.has(ids[i]!)) return;
      if (state === "ended" || state === "gone") dropped.push(ids[i]!);
      else if (state !== "live") stale.push(ids[i]!);
    });
    if (dropped.length > 0 || stale.length > 0) await index.indexPrune(dropped, stale, now);
  }

  #session(id: string): SessionsStub {
    return this.#stub(sessionObjectName(id));
  }

  #owner(owner: string): SessionsStub {
    return this.#stub(ownerObjectName(owner));
  }

  #stub(name: string): SessionsStub {
    const namespace = this.#namespace;
    return namespace.get(namespace.idFromName(name) as never) as SessionsStub;
  }

  /** Runs one operation; any failure (an exception in the object, an overloaded or reset object, a broken connection) becomes `ERR_SESSION_STORE`. */
  async #call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new SessionError("ERR_SESSION_STORE", `could not ${action} the session in its Durable Object`, { cause });
    }
  }
}

/** How many sessions `list()` and `destroyAll()` ask at once. */
export const FAN_OUT = 25;
// Successors followed from one indexed id: a chain longer than this means regenerates faster
// than destroyAll() can follow, which no real sign-in produces.
const MAX_HOPS = 8;

/** `call` on every item, at most `FAN_OUT` at a time; the answers in order. */
async function fanOut<T, R>(items: readonly T[], call: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const answers: R[] = [];
  for (let i = 0; i < items.length; i += FAN_OUT) {
    answers.push(...(await Promise.all(items.slice(i, i + FAN_OUT).map((item, j) => call(item, i + j)))));
  }
  return answers;
}

/** A session's record as the engine wants it: decoded values, flashes by key in the order added. */
function toStoredSession(id: string, { createdAt, expiresAt, lastSeenAt, values, flashes }: SessionRecord): StoredSession {
  const data = new Map<string, unknown>();
  for (const [key, json] of values) data.set(key, decodeJson(json));
  const flashIds = new Map<string, string[]>();
  for (const [key, flashId, json] of flashes) {
    // Flashes come sorted by key, then id: each key's arrays grow in the order the flashes were added.
    if (!flashIds.has(key)) {
      flashIds.set(key, []);
      data.set(key, []);
    }
    flashIds.get(key)!.push(flashId);
    (data.get(key) as unknown[]).push(decodeJson(json));
  }
  return { id, data, createdAt, expiresAt, lastSeenAt, flashIds };
}
