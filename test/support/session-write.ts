/** A store-level save for tests that call a store directly, past the jar. */
import type { SessionWrite } from "../../src/store.ts";

/** A save of new session `id` setting every key of `data`, for 10 minutes, as the jar hands it to the store. */
export function dataWrite(id: string, data: Record<string, unknown> = { secret: "s3cr3t-value" }, parts: Partial<SessionWrite> = {}): SessionWrite {
  const now = Date.now();
  return {
    id,
    previousId: undefined,
    data: new Map(Object.entries(data)),
    changed: new Set(Object.keys(data)),
    deleted: new Set(),
    cleared: false,
    createdAt: now,
    expiresAt: now + 600_000,
    flashes: new Map(),
    flashIds: new Map(),
    ...parts,
  };
}

/** A save of `id` naming `owner` under "userId". */
export function ownerWrite(id: string, owner: string, parts: Partial<SessionWrite> = {}): SessionWrite {
  return dataWrite(id, { userId: owner }, parts);
}
