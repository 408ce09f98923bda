/**
 * `DurableObjectStore` and `SessionsObject`: sessions in Cloudflare Durable Objects, strongly
 * consistent storage at the edge with no third-party account. The cookie carries a signed id.
 *
 * A thin driver under the server-store engine (src/server-store/durable-objects/): one object per
 * session, one per owner for the index, each call an RPC to a `SessionsObject`. Workers only: the
 * module imports `cloudflare:workers`.
 *
 * @module
 */

import { assertConfig } from "../errors.ts";
import { DurableObjectDriver } from "../server-store/durable-objects/driver.ts";
import type { SessionsNamespace } from "../server-store/durable-objects/driver.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

export { SessionsObject } from "../server-store/durable-objects/sessions-object.ts";
export type { SessionsNamespace } from "../server-store/durable-objects/driver.ts";

/** Options of {@link DurableObjectStore}. */
export interface DurableObjectStoreOptions extends ServerStoreOptions {
  /** The Durable Object namespace bound to the `SessionsObject` class, e.g. `env.SESSIONS`. */
  namespace: SessionsNamespace;
}

/**
 * Sessions in Durable Objects, one object per session: one RPC call to load a session, one to
 * save it (a save that changes the owner adds one), none for a request without a valid signed
 * cookie. Concurrent saves on one session are applied one after the other inside its object, each
 * writing only what it changed. With `owner`, `list()` and `destroyAll()` work on the sessions of
 * one user. A failed call (an exception, an overloaded or reset object) rejects with
 * `ERR_SESSION_STORE`.
 *
 * @example
 * ```ts
 * import { DurableObjectStore } from "web-sessions/durable-objects";
 * import { withSessions } from "web-sessions/workers";
 *
 * export { SessionsObject } from "web-sessions/durable-objects";
 *
 * export default {
 *   fetch: withSessions(
 *     (env: { SESSIONS: DurableObjectNamespace; SESSION_SECRET: string }) => ({
 *       store: new DurableObjectStore({ namespace: env.SESSIONS, secrets: env.SESSION_SECRET, owner: "userId" }),
 *     }),
 *     app.fetch,
 *   ),
 * };
 * ```
 */
export class DurableObjectStore extends ServerStore {
  protected readonly driver: DurableObjectDriver;

  constructor(options: DurableObjectStoreOptions) {
    super(options, "DurableObjectStore");
    const { namespace } = options;
    assertConfig(
      namespace !== null && typeof namespace === "object" && typeof namespace.idFromName === "function" && typeof namespace.get === "function",
      "DurableObjectStore: namespace must be a Durable Object namespace binding (env.SESSIONS) of the SessionsObject class",
    );
    this.driver = new DurableObjectDriver(namespace);
  }
}
