/**
 * The in-memory driver of the server-store engine (`MemoryStore`): entries in a Map, two recency
 * lists (sessions with an owner, sessions without), the owner index as a Map of id sets, and the
 * owners by how many sessions they hold, so that past `maxEntries` the owner holding the most
 * gives way first.
 * Every operation runs without an await in between, so each is atomic like a Redis script.
 *
 * @module
 */

import type { SessionInfo, StoredSession } from "../store.ts";
import { RecencyList } from "./recency-list.ts";
import { sessionInfo } from "./server-store.ts";
import type { SessionDriver } from "./server-store.ts";
import type { WritePlan } from "./write-plan.ts";

interface Entry {
  id: string;
  // Values stay JSON text: a loaded session gets its own copies, and only changed keys are re-encoded.
  // Keys and values alternate in one array: for 10 keys that is 176 bytes where a Map took about 500,
  // and measured at 100,000 sessions of the 10-field profile the heap held 1.2 KB a session with
  // two Maps, 0.94 KB with the array and no flash Map.
  values: string[];
  // Flashes one by one (key → flash id → JSON), so taking some never drops others added meanwhile.
  // Undefined while there are none, as in most sessions.
  flashes: Map<string, Map<string, string>> | undefined;
  owner: string | undefined;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  older: Entry | undefined;
  newer: Entry | undefined;
  list: RecencyList<Entry> | undefined;
}

// Each save looks at this many least recently used entries of each list and drops the expired ones.
const SWEEP = 4;

export class MemoryDriver implements SessionDriver {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #owners = new Map<string, Set<string>>();
  // Past maxEntries, sessions nobody signed into go first: anonymous traffic (a CSRF token on a
  // login page) cannot push signed-in users out. Without the owner option every entry is here.
  readonly #anonymous = new RecencyList<Entry>();
  readonly #owned = new RecencyList<Entry>();
  // Owners by how many sessions each holds, and the most any holds: one account signing in over and
  // over must not push every other signed-in user out, so the largest owner loses its oldest first.
  readonly #bySize = new Map<number, Set<string>>();
  #most = 0;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  read(id: string): StoredSession | undefined {
    const entry = this.#live(id);
    if (!entry) return undefined;
    this.#touch(entry);
    const data = new Map<string, unknown>();
    const { values } = entry;
    for (let i = 0; i < values.length; i += 2) data.set(values[i]!, JSON.parse(values[i + 1]!));
    let flashIds: Map<string, string[]> | undefined;
    if (entry.flashes) {
      flashIds = new Map();
      for (const [key, flashes] of entry.flashes) {
        data.set(key, [...flashes.values()].map((json) => JSON.parse(json)));
        flashIds.set(key, [...flashes.keys()]);
      }
    }
    return { id, data, createdAt: entry.createdAt, expiresAt: entry.expiresAt, lastSeenAt: entry.lastSeenAt, flashIds };
  }

  write(plan: WritePlan): boolean {
    let entry = this.#live(plan.id);
    // Gone since it was loaded (destroyed, expired, evicted): a late save must not bring it back,
    // nor move it to a new id after regenerate().
    if (!entry && plan.mustExist) return false;
    if (plan.previousId !== undefined) {
      const previous = this.#live(plan.previousId);
      if (!previous) return false;
      this.#remove(previous);
    }
    if (!entry) {
      entry = { id: plan.id, values: [], flashes: undefined, owner: undefined, createdAt: plan.createdAt, expiresAt: 0, lastSeenAt: 0, older: undefined, newer: undefined, list: undefined };
      this.#entries.set(plan.id, entry);
    } else if (plan.whole) {
      entry.values = [];
      entry.flashes = undefined;
    }
    entry.values = mergeValues(entry.values, plan);
    for (const [key, id] of plan.taken) {
      const kept = entry.flashes?.get(key);
      if (kept?.delete(id) && kept.size === 0 && entry.flashes!.delete(key) && entry.flashes!.size === 0) entry.flashes = undefined;
    }
    for (const [key, id, json] of plan.added) {
      const flashes = (entry.flashes ??= new Map());
      let kept = flashes.get(key);
      if (!kept) flashes.set(key, (kept = new Map()));
      kept.set(id, json);
    }
    if (plan.owner !== undefined) this.#setOwner(entry, plan.owner ?? undefined);
    entry.createdAt = plan.createdAt;
    entry.expiresAt = plan.expiresAt;
    entry.lastSeenAt = plan.lastSeenAt;
    this.#touch(entry);
    this.#evict();
    return true;
  }

  remove(id: string): void {
    this.#drop(id);
  }

  touch(id: string, at: number, staleBefore: number): void {
    const entry = this.#live(id);
    if (entry && entry.lastSeenAt <= staleBefore) entry.lastSeenAt = at;
  }

  list(owner: string, now: number, listed: readonly string[] | undefined): SessionInfo[] {
    const sessions: SessionInfo[] = [];
    for (const id of this.#owners.get(owner) ?? []) {
      const entry = this.#entries.get(id)!;
      if (entry.expiresAt <= now) this.#remove(entry);
      else sessions.push(sessionInfo(entry, listed, (key) => plainValue(entry.values, key)));
    }
    return sessions;
  }

  removeAll(owner: string, except: string | undefined): number {
    let removed = 0;
    for (const id of [...(this.#owners.get(owner) ?? [])]) {
      if (id === except) continue;
      const entry = this.#entries.get(id)!;
      if (entry.expiresAt > Date.now()) removed++;
      this.#remove(entry);
    }
    return removed;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#remove(entry);
      return undefined;
    }
    return entry;
  }

  #drop(id: string): void {
    const entry = this.#entries.get(id);
    if (entry) this.#remove(entry);
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry.id);
    entry.list?.unlink(entry);
    this.#setOwner(entry, undefined);
  }

  #setOwner(entry: Entry, owner: string | undefined): void {
    if (entry.owner === owner) return;
    if (entry.owner !== undefined) {
      const ids = this.#owners.get(entry.owner)!;
      ids.delete(entry.id);
      if (ids.size === 0) this.#owners.delete(entry.owner);
      this.#resize(entry.owner, ids.size + 1, ids.size);
    }
    if (owner !== undefined) {
      let ids = this.#owners.get(owner);
      if (!ids) this.#owners.set(owner, (ids = new Set()));
      ids.add(entry.id);
      this.#resize(owner, ids.size - 1, ids.size);
    }
    entry.owner = owner;
  }

  /** Moves `owner` from holding `from` sessions to `to` (one more or one fewer). */
  #resize(owner: string, from: number, to: number): void {
    const was = this.#bySize.get(from);
    if (was) {
      was.delete(owner);
      if (was.size === 0) {
        this.#bySize.delete(from);
        // Sizes move by one, so when the largest owners' set empties the owner is now the largest.
        if (from === this.#most) this.#most = to;
      }
    }
    if (to === 0) return;
    let now = this.#bySize.get(to);
    if (!now) this.#bySize.set(to, (now = new Set()));
    now.add(owner);
    if (to > this.#most) this.#most = to;
  }

  /**
   * Who goes when the store is full: the least recently used session without an owner; else, when
   * an owner holds more sessions than one, the oldest session of an owner holding the most; else
   * the least recently used.
   */
  #victim(): Entry {
    const anonymous = this.#anonymous.oldest;
    if (anonymous) return anonymous;
    if (this.#most > 1) {
      const owner = this.#bySize.get(this.#most)!.values().next().value!;
      // Ids join an owner's set in the order the sessions were given that owner: the first is the oldest.
      return this.#entries.get(this.#owners.get(owner)!.values().next().value!)!;
    }
    return this.#owned.oldest!;
  }

  /** Makes `entry` the most recently used of its list (which its owner decides). */
  #touch(entry: Entry): void {
    (entry.owner === undefined ? this.#anonymous : this.#owned).touch(entry);
  }

  /** Drops expired entries among the least recently used, then, past `maxEntries`, one `#victim()` at a time. */
  #evict(): void {
    const now = Date.now();
    for (const list of [this.#anonymous, this.#owned]) {
      let looked = 0;
      for (let entry = list.oldest; entry && looked < SWEEP; looked++) {
        const newer = entry.newer;
        if (entry.expiresAt <= now) this.#remove(entry);
        entry = newer;
      }
    }
    while (this.#entries.size > this.#maxEntries) this.#remove(this.#victim());
  }
}

/** The value stored under `key`, decoded; undefined when there is none. */
function plainValue(values: readonly string[], key: string): unknown {
  for (let i = 0; i < values.length; i += 2) if (values[i] === key) return JSON.parse(values[i + 1]!);
  return undefined;
}

/**
 * The stored values after a save: deleted keys gone, changed ones replaced in place or added at
 * the end. A save changes a key or two, so plain array scans beat building a Map and a Set.
 */
function mergeValues(values: readonly string[], plan: WritePlan): string[] {
  const { set, deleted } = plan;
  if (values.length === 0) return set.flat();
  const merged: string[] = [];
  const replaced = new Array<boolean>(set.length).fill(false);
  for (let i = 0; i < values.length; i += 2) {
    const key = values[i]!;
    if (deleted.includes(key)) continue;
    const at = set.findIndex(([changed]) => changed === key);
    if (at < 0) merged.push(key, values[i + 1]!);
    else {
      merged.push(key, set[at]![1]);
      replaced[at] = true;
    }
  }
  set.forEach(([key, json], at) => replaced[at] || merged.push(key, json));
  return merged;
}
