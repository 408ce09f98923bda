/**
 * The sessions of a request as a framework context holds them: `session` (one name configured),
 * `sessions` (a record by name) and `loadSession(name?)`. The Elysia and SvelteKit adapters put
 * this object into their handlers' context; the rules of naming and lazy loading live here.
 *
 * @module
 */

import type { SessionJar } from "./jar.ts";
import type { Session } from "./session.ts";
import type { SessionData } from "./store.ts";
import { pickJar } from "./with-sessions.ts";

/** What a framework adapter adds to a request's context. */
export type SessionContext<Data extends object = SessionData> = {
  /**
   * The session, when exactly one name is configured and it is not `lazy` (then use
   * `loadSession()`, or `sessions[name]` once loaded).
   */
  session: Session<Data>;
  /** Every configured session by name; with `lazy: true`, each throws `ERR_SESSION_MISSING` until loaded. */
  sessions: Record<string, Session<Data>>;
  /**
   * Loads (once) and returns a session; `name` may be left out when one is configured. Rejects
   * with `ERR_SESSION_MISSING` for an unknown name, or no name among several.
   */
  loadSession(name?: string): Promise<Session<Data>>;
};

/**
 * Builds the context object of a request's jar. `session` is left out when several names are
 * configured or loading is lazy, so that reading it cannot pick a session by accident.
 *
 * @example
 * ```ts
 * const jar = await SessionJar.open(settings, request.headers.get("Cookie"));
 * Object.assign(locals, sessionContext(jar));
 * ```
 */
export function sessionContext<Data extends object = SessionData>(jar: SessionJar): SessionContext<Data> {
  const byName = new Map(jar.names.map((name) => [name, jar]));
  const sessions: Record<string, Session<Data>> = {};
  // Getters, so a lazy session appears once it is loaded and the record never goes stale.
  for (const name of jar.names) {
    Object.defineProperty(sessions, name, { enumerable: true, get: () => jar.session(name) });
  }
  const context = {
    sessions,
    loadSession: async (name?: string) => (await jar.load(pickJar(byName, name)[1])) as unknown as Session<Data>,
  } as SessionContext<Data>;
  const [only, ...more] = jar.names;
  if (more.length === 0 && jar.loaded(only!)) context.session = jar.session(only!) as unknown as Session<Data>;
  return context;
}
