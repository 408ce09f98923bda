/**
 * `MemoryStore`: sessions in this process's memory, the cookie carrying only a signed id.
 *
 * @module
 */

import { assertConfig } from "../errors.ts";
import { MemoryDriver } from "../server-store/memory-driver.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions extends ServerStoreOptions {
  /**
   * The most sessions kept. Past it, expired sessions go first, then the least recently used of
   * those without an owner value (with the `owner` option), then the oldest session of the owner
   * holding the most (so one account signing in over and over cannot push other users out), and
   * once every owner holds one, the least recently used.
   * @default 10000
   */
  maxEntries?: number;
}

/**
 * The embedded default for one process (development, a single server): data in memory, bounded by
 * `maxEntries`, expired entries evicted. Saves write only the keys that changed, so concurrent
 * requests on one session keep each other's updates, and never bring back a session that was
 * destroyed meanwhile. Sessions are lost on restart and not shared between processes: use
 * `UpstashRedisStore` or `RedisStore` for that.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "web-sessions";
 *
 * const store = new MemoryStore({ secrets: process.env.SESSION_SECRET!, maxEntries: 50_000, owner: "userId" });
 * ```
 */
export class MemoryStore extends ServerStore {
  protected readonly driver: MemoryDriver;

  constructor(options: MemoryStoreOptions) {
    super(options, "MemoryStore");
    const { maxEntries = 10_000 } = options;
    assertConfig(Number.isInteger(maxEntries) && maxEntries > 0, "MemoryStore: maxEntries must be a positive integer");
    this.driver = new MemoryDriver(maxEntries);
  }

  /** How many sessions are held now. */
  get size(): number {
    return this.driver.size;
  }
}
