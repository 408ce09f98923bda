/**
 * What a save means for a server store, worked out once for every backend: which values to set
 * and delete (as JSON), which flashes to add and take one by one, whether the entry is rewritten
 * whole, whether it must still exist, and how the owner index changes. Each driver only maps a
 * plan onto its database's primitives.
 *
 * @module
 */

import type { SessionWrite } from "../store.ts";
import { encodeJson } from "../json.ts";

/** One flash added by a save: its key, its id (ids sort in the order flashes were added), its JSON. */
export type AddedFlash = readonly [key: string, id: string, json: string];

/** A save, translated into operations on one stored entry. */
export interface WritePlan {
  id: string;
  /**
   * The id before `regenerate()`: its entry (and its place in the owner index) goes. It must still
   * exist: if it is gone, the driver writes nothing and reports it gone, as for `mustExist`.
   */
  previousId: string | undefined;
  /** Update an entry that still exists, never create one (see `SessionWrite.mustExist`). */
  mustExist: boolean;
  /** Drop every stored value first: the plan then holds the whole session (cleared, regenerated). */
  whole: boolean;
  /** Plain values to set, JSON-encoded, by key. */
  set: ReadonlyArray<readonly [key: string, json: string]>;
  /** Plain values to delete: deleted keys, and keys whose plain value gives way to flashes. */
  deleted: readonly string[];
  added: readonly AddedFlash[];
  /** Stored flashes taken by `flashes()`: exactly these are deleted. */
  taken: ReadonlyArray<readonly [key: string, id: string]>;
  /** The owner after this save: a name, `null` for none, `undefined` when the save leaves it as stored. */
  owner: string | null | undefined;
  createdAt: number;
  expiresAt: number;
  /** When this save happened (ms since the epoch): a save records the session's last use for free. */
  lastSeenAt: number;
}

/**
 * The owner named by a session value: a non-empty string, or a finite number (as its decimal
 * text, so numeric user ids work). Anything else names nobody.
 */
export function ownerOf(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Translates a save. Everything is encoded before any driver touches its backend, so data that is
 * not JSON (`ERR_SESSION_DATA`) changes nothing.
 */
export function planWrite(write: SessionWrite, ownerKey: string | undefined): WritePlan {
  const whole = write.cleared || write.previousId !== undefined;
  const set: [string, string][] = [];
  const deleted: string[] = [];
  const added: AddedFlash[] = [];
  const taken: [string, string][] = [];
  if (whole) {
    for (const [key, value] of write.data) {
      const ids = write.flashIds.get(key);
      if (ids && Array.isArray(value) && ids.length === value.length) {
        ids.forEach((id, i) => added.push([key, id, encodeJson(value[i])]));
      } else {
        set.push([key, encodeJson(value)]);
      }
    }
  } else {
    for (const key of write.changed) if (!write.flashIds.has(key)) set.push([key, encodeJson(write.data.get(key))]);
    for (const key of write.deleted) deleted.push(key);
    for (const [key, change] of write.flashes) {
      // Flashes replace a plain value that was stored under the same key.
      if (write.flashIds.has(key) && !write.deleted.has(key)) deleted.push(key);
      for (const id of change.taken) taken.push([key, id]);
      for (const [id, value] of change.added) added.push([key, id, encodeJson(value)]);
    }
  }
  return {
    id: write.id,
    previousId: write.previousId,
    mustExist: write.mustExist === true,
    whole,
    set,
    deleted,
    added,
    taken,
    owner: ownerKey === undefined ? undefined : ownerChange(write, ownerKey, whole),
    createdAt: write.createdAt,
    expiresAt: write.expiresAt,
    lastSeenAt: Date.now(),
  };
}

/**
 * Only a save that touched the owner key changes the owner: a concurrent request that changed
 * other keys must not move the session back to the owner it loaded.
 */
function ownerChange(write: SessionWrite, ownerKey: string, whole: boolean): string | null | undefined {
  if (whole || write.changed.has(ownerKey) || write.deleted.has(ownerKey)) return ownerOf(write.data.get(ownerKey)) ?? null;
  return undefined;
}
