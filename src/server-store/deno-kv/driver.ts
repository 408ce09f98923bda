/**
 * The Deno KV driver of the server-store engine. Keys:
 * - `[...prefix, "id", id]`: the session, one entry (see entry.ts), expiring with it (`expireIn`);
 * - `[...prefix, "owner", owner, id]`: the owner index, `[createdAt, expiresAt]`, same expiry.
 *
 * A touch (a request that used a session without saving it, at most once per 5 minutes) is one
 * commit rewriting the session's entry with its new last-seen time, checked against the entry as
 * last seen, so it never brings a destroyed session back. `list()` reads each listed session's
 * entry (10 to a read) for its last-seen time and listed values.
 *
 * Every change is one `atomic()` commit checked against the versionstamps it read: a save re-reads
 * and re-applies its plan when another writer got there first (up to a bound), so concurrent
 * requests keep each other's keys, and a save that must update an entry finds it gone instead of
 * recreating it; a save after `regenerate()` checks the previous entry in the same commit that
 * deletes it. The owner index changes in the same commit as the session, and `destroyAll()`
 * checks the index entries it read as well as the sessions, so it is final against a
 * `regenerate()` committed while it runs.
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import type { SessionInfo, StoredSession } from "../../store.ts";
import { sessionInfo } from "../server-store.ts";
import type { SessionDriver } from "../server-store.ts";
import type { WritePlan } from "../write-plan.ts";
import { applyPlan, decodeEntry, decodeIndexEntry, encodeEntry, encodeIndexEntry, plainValue, toStoredSession } from "./entry.ts";
import type { Entry } from "./entry.ts";
import type { DenoKv, DenoKvAtomic, DenoKvEntryMaybe, DenoKvKey, DenoKvListEntry } from "./kv.ts";
import { RecentEntries } from "./recent-entries.ts";

/** Commits tried per operation before it rejects with `ERR_SESSION_STORE`. */
export const MAX_ATTEMPTS = 50;
// getMany reads at most 10 keys, and an atomic operation takes at most 10 checks (@deno/kv's
// SQLite database refuses more): list() prunes 10 index entries to a commit, and destroyAll()
// takes 5 sessions to a commit, checking each session and its index entry.
const BATCH = 10;
const DESTROY_BATCH = 5;
const CONFLICT = Symbol("conflict");
const NOTHING: DenoKvEntryMaybe = { value: null, versionstamp: null };

type Step<T> = () => Promise<T | typeof CONFLICT>;

export class DenoKvDriver implements SessionDriver {
  readonly #kv: DenoKv;
  readonly #prefix: DenoKvKey;
  readonly #recent = new RecentEntries();

  constructor(kv: DenoKv, prefix: DenoKvKey) {
    this.#kv = kv;
    this.#prefix = prefix;
  }

  async read(id: string): Promise<StoredSession | undefined> {
    const { value, versionstamp } = await this.#attempt("load", () => this.#kv.get(this.#session(id)));
    this.#recent.set(id, value, versionstamp);
    const entry = live(decodeEntry(value));
    return entry && toStoredSession(id, entry);
  }

  write(plan: WritePlan): Promise<boolean> {
    const keys = [this.#session(plan.id)];
    if (plan.previousId !== undefined) keys.push(this.#session(plan.previousId));
    // First against what was loaded (a new or regenerated id: nothing); after a failed check, read.
    let guess = this.#guess(plan);
    return this.#attempt("save", async () => {
      const guessed = guess;
      guess = undefined;
      const written = guessed && (await this.#commitWrite(plan, keys, guessed, true));
      if (written !== undefined && written !== CONFLICT) return written;
      return this.#commitWrite(plan, keys, await this.#kv.getMany(keys), false);
    });
  }

  remove(id: string): Promise<void> {
    const key = this.#session(id);
    let guess = this.#recent.get(id);
    this.#recent.delete(id);
    return this.#attempt("destroy", async () => {
      const guessed = guess;
      guess = undefined;
      if (guessed && (await this.#commitRemove(id, key, guessed))) return undefined;
      return (await this.#commitRemove(id, key, await this.#kv.get(key))) ? undefined : CONFLICT;
    });
  }

  /** One commit deleting the entry `current` (read or guessed) says is under `key`; false if it changed. */
  async #commitRemove(id: string, key: DenoKvKey, current: DenoKvEntryMaybe): Promise<boolean> {
    if (current.versionstamp === null) return true;
    const operation = this.#kv.atomic().check({ key, versionstamp: current.versionstamp }).delete(key);
    this.#index(operation, id, decodeEntry(current.value)?.owner, undefined);
    return (await operation.commit()).ok;
  }

  /** What this store saw last under the plan's ids, if it saw them; undefined means read first. */
  #guess(plan: WritePlan): readonly DenoKvEntryMaybe[] | undefined {
    const fresh = !plan.mustExist;
    const current = fresh ? NOTHING : this.#recent.get(plan.id);
    if (!current) return undefined;
    if (plan.previousId === undefined) return [current];
    const previous = this.#recent.get(plan.previousId);
    return previous && [current, previous];
  }

  /** One commit of `plan` over what `read` (or a `guess` of it) says is stored under `keys`. */
  async #commitWrite(plan: WritePlan, keys: DenoKvKey[], read: readonly DenoKvEntryMaybe[], guess: boolean): Promise<boolean | typeof CONFLICT> {
    const [current, previous] = read;
    const stored = decodeEntry(current!.value);
    // Gone since it was loaded (destroyed, expired): a late save must not bring it back, nor move
    // it to a new id after regenerate(). Only the database says so; a guess may be older than a
    // refresh by another request.
    const gone = (plan.mustExist && !live(stored)) || (previous !== undefined && !live(decodeEntry(previous.value)));
    if (gone) return guess ? CONFLICT : false;
    const next = applyPlan(live(stored), plan);
    const bytes = encodeEntry(next);
    const operation = this.#kv.atomic().check({ key: keys[0]!, versionstamp: current!.versionstamp });
    operation.set(keys[0]!, bytes, { expireIn: expireIn(next.expiresAt) });
    // Even an expired entry's owner is known: its index entry goes with it.
    this.#index(operation, plan.id, stored?.owner, next);
    if (previous) {
      // The previous entry is live (checked above) and stays as read until the commit, or nothing is written.
      operation.check({ key: keys[1]!, versionstamp: previous.versionstamp }).delete(keys[1]!);
      this.#index(operation, plan.previousId!, decodeEntry(previous.value)?.owner, undefined);
    }
    const result = await operation.commit();
    if (!result.ok) return CONFLICT;
    this.#recent.set(plan.id, bytes, result.versionstamp);
    if (plan.previousId !== undefined) this.#recent.delete(plan.previousId);
    return true;
  }

  /**
   * One commit setting the entry's last-seen time, checked against the entry as this store last
   * saw it (or reads it): a destroyed entry is never written again. If the check fails, another
   * request wrote the session meanwhile (a save or touch records its own time) or deleted it:
   * nothing to do.
   */
  touch(id: string, at: number, staleBefore: number): Promise<void> {
    const key = this.#session(id);
    return this.#attempt("touch", async () => {
      const current = this.#recent.get(id) ?? (await this.#kv.get(key));
      const entry = live(decodeEntry(current.value));
      if (!entry || (entry.lastSeenAt ?? 0) > staleBefore) return undefined;
      const bytes = encodeEntry({ ...entry, lastSeenAt: at });
      const operation = this.#kv.atomic().check({ key, versionstamp: current.versionstamp });
      const result = await operation.set(key, bytes, { expireIn: expireIn(entry.expiresAt) }).commit();
      // A failed check has no versionstamp: the entry is then forgotten, and read afresh next time.
      this.#recent.set(id, bytes, result.versionstamp);
      return undefined;
    });
  }

  /** The owner's live sessions: the index names them, each session's own entry (read 10 at a time) describes it. */
  async list(owner: string, now: number, listed: readonly string[] | undefined): Promise<SessionInfo[]> {
    const ids: string[] = [];
    const expired: DenoKvListEntry[] = [];
    for (const entry of await this.#indexOf(owner)) {
      const times = decodeIndexEntry(entry.value);
      if (times && times.expiresAt > now) ids.push(String(entry.key.at(-1)));
      else expired.push(entry);
    }
    const sessions: SessionInfo[] = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const read = await this.#attempt("list", () => this.#kv.getMany(batch.map((id) => this.#session(id))));
      read.forEach(({ value }, j) => {
        // The index entry changes in the same commit as the session, so a live entry is the owner's.
        const entry = live(decodeEntry(value));
        if (entry) sessions.push(sessionInfo({ id: batch[j]!, ...entry }, listed, (key) => plainValue(entry, key)));
      });
    }
    // Pruned only if unchanged since listed (a save may have just refreshed one); if one was, the
    // next list() prunes the rest.
    for (let i = 0; i < expired.length; i += BATCH) {
      const operation = this.#kv.atomic();
      for (const { key, versionstamp } of expired.slice(i, i + BATCH)) operation.check({ key: key as DenoKvKey, versionstamp }).delete(key as DenoKvKey);
      await this.#attempt("list", async () => {
        await operation.commit();
        return undefined;
      });
    }
    return sessions;
  }

  /**
   * Deletes the owner's sessions, 5 to a commit, each commit checked against the sessions *and*
   * the index entries as read. A `regenerate()` that commits meanwhile deletes the old id's index
   * entry as it indexes the new id, so the check fails and the pass starts again from the index,
   * where it finds the new id: destroyAll() never misses a session moved to a new id while it runs.
   * (One that commits after finds its old id gone and writes nothing.) What earlier commits removed
   * stays counted, and is no longer in the index to be found again.
   */
  removeAll(owner: string, except: string | undefined): Promise<number> {
    let removed = 0;
    return this.#attempt("destroyAll", async () => {
      const entries = (await this.#readIndex(owner)).filter((entry) => String(entry.key.at(-1)) !== except);
      for (let i = 0; i < entries.length; i += DESTROY_BATCH) {
        const counted = await this.#removeOwned(owner, entries.slice(i, i + DESTROY_BATCH));
        if (counted === CONFLICT) return CONFLICT;
        removed += counted;
      }
      return removed;
    });
  }

  /** Deletes those of the indexed sessions that still belong to `owner`, in one commit; how many were live. */
  async #removeOwned(owner: string, entries: DenoKvListEntry[]): Promise<number | typeof CONFLICT> {
    const ids = entries.map((entry) => String(entry.key.at(-1)));
    const keys = ids.map((id) => this.#session(id));
    const current = await this.#kv.getMany(keys);
    const operation = this.#kv.atomic();
    let removed = 0;
    current.forEach(({ value, versionstamp }, i) => {
      this.#recent.delete(ids[i]!);
      const indexed = entries[i]!;
      operation.check({ key: keys[i]!, versionstamp }, { key: indexed.key as DenoKvKey, versionstamp: indexed.versionstamp }).delete(indexed.key as DenoKvKey);
      const stored = decodeEntry(value);
      // A session that moved to another owner after the index was read is not this owner's.
      if (versionstamp === null || (stored && stored.owner !== owner)) return;
      operation.delete(keys[i]!);
      if (live(stored)) removed++;
    });
    return (await operation.commit()).ok ? removed : CONFLICT;
  }

  /** Moves session `id` in the owner index from `before` to `after`'s owner, within `operation`. */
  #index(operation: DenoKvAtomic, id: string, before: string | undefined, after: Entry | undefined): void {
    if (before !== undefined && before !== after?.owner) operation.delete(this.#ownerKey(before, id));
    if (after?.owner !== undefined) {
      operation.set(this.#ownerKey(after.owner, id), encodeIndexEntry(after), { expireIn: expireIn(after.expiresAt) });
    }
  }

  #indexOf(owner: string): Promise<DenoKvListEntry[]> {
    return this.#attempt("list", () => this.#readIndex(owner));
  }

  async #readIndex(owner: string): Promise<DenoKvListEntry[]> {
    const entries: DenoKvListEntry[] = [];
    for await (const entry of this.#kv.list({ prefix: [...this.#prefix, "owner", owner] })) entries.push(entry);
    return entries;
  }

  #session(id: string): DenoKvKey {
    return [...this.#prefix, "id", id];
  }

  #ownerKey(owner: string, id: string): DenoKvKey {
    return [...this.#prefix, "owner", owner, id];
  }

  /**
   * Runs `step` until it does not report a conflict, at most `MAX_ATTEMPTS` times, waiting a
   * random, growing while between tries so that writers of one session do not keep colliding.
   * Any failure of the database becomes `ERR_SESSION_STORE`.
   */
  async #attempt<T>(action: string, step: Step<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let result: T | typeof CONFLICT;
      try {
        result = await step();
      } catch (error) {
        if (error instanceof SessionError) throw error;
        throw new SessionError("ERR_SESSION_STORE", `could not ${action} the session in Deno KV`, { cause: error });
      }
      if (result !== CONFLICT) return result;
      if (attempt === MAX_ATTEMPTS) {
        throw new SessionError("ERR_SESSION_STORE", `gave up the ${action} in Deno KV after ${attempt} conflicting commits`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}

/** The entry if it has not expired (Deno KV may keep an entry for a while past its `expireIn`). */
function live(entry: Entry | undefined): Entry | undefined {
  return entry && entry.expiresAt > Date.now() ? entry : undefined;
}

/** Milliseconds until `expiresAt`: Deno KV wants a positive integer. */
function expireIn(expiresAt: number): number {
  return Math.max(1, Math.ceil(expiresAt - Date.now()));
}

