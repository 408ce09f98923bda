/**
 * `DenoKvStore`: sessions in Deno KV, the cookie carrying only a signed id. Deno KV is strongly
 * consistent and built into Deno Deploy, so a Deno app needs no third-party database for server
 * sessions. A thin driver under the server-store engine (src/server-store/deno-kv/).
 *
 * @module
 */

import { assertConfig } from "../errors.ts";
import { DenoKvDriver } from "../server-store/deno-kv/driver.ts";
import type { DenoKv, DenoKvKey } from "../server-store/deno-kv/kv.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

export type { DenoKv, DenoKvAtomic, DenoKvEntryMaybe, DenoKvKey, DenoKvKeyPart, DenoKvListEntry } from "../server-store/deno-kv/kv.ts";

/** Options of {@link DenoKvStore}. */
export interface DenoKvStoreOptions extends ServerStoreOptions {
  /** An open database: `await Deno.openKv()`, or `await openKv()` from `@deno/kv` on Node and Bun. */
  kv: DenoKv;
  /** The first parts of every key the store writes. @default ["session"] */
  prefix?: DenoKvKey;
}

/**
 * Sessions in Deno KV. One read to load a session, one atomic commit to save or destroy it,
 * checked against the versionstamp the request loaded; when another request wrote first, the
 * save reads the entry again and re-applies its changes, so concurrent requests keep each
 * other's keys and a session destroyed meanwhile is never written back. Each session is one
 * entry of at most 64 KiB (more rejects with `ERR_SESSION_DATA`), expiring with the session.
 * With `owner`, `list()` and `destroyAll()` work on the sessions of one user.
 *
 * @example
 * ```ts
 * import { DenoKvStore } from "web-sessions/deno-kv";
 *
 * const store = new DenoKvStore({ kv: await Deno.openKv(), secrets: Deno.env.get("SESSION_SECRET")!, owner: "userId" });
 * ```
 */
export class DenoKvStore extends ServerStore {
  protected readonly driver: DenoKvDriver;

  constructor(options: DenoKvStoreOptions) {
    super(options, "DenoKvStore");
    const { kv, prefix = ["session"] } = options;
    assertConfig(
      typeof kv?.get === "function" && typeof kv.getMany === "function" && typeof kv.list === "function" && typeof kv.atomic === "function",
      "DenoKvStore: kv must be a Deno KV database (await Deno.openKv(), or openKv() from @deno/kv)",
    );
    assertConfig(Array.isArray(prefix), "DenoKvStore: prefix must be an array of key parts");
    this.driver = new DenoKvDriver(kv, [...prefix]);
  }
}
