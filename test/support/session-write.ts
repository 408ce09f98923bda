/** A store-level save for tests that call a store directly, past the jar. */
import type { SessionWrite } from "../../src/store.ts";

/** A save of `id` naming `owner` under "userId", as the jar hands it to the store. */
export function ownerWrite(id: string, owner: string, parts: Partial<SessionWrite> = {}): SessionWrite {
  const now = Date.now();
  return {
    id,
    previousId: undefined,
    data: new Map<string, unknown>([["userId", owner]]),
    changed: new Set(["userId"]),
    deleted: new Set(),
    cleared: false,
    createdAt: now,
    expiresAt: now + 600_000,
    flashes: new Map(),
    flashIds: new Map(),
    ...parts,
  };
}
