/**
 * The sessions of a request as a framework context holds them: `session` (one name configured),
 * `sessions` (a record by name) and `loadSession(name?)`. The Elysia and SvelteKit adapters put
 * this object into their handlers' context; the rules of naming and lazy loading live here. Built
 * over all the request's jars, so two middlewares (two stores) add up in one context.
 *
 * @module
 */

import type { Session } from "./session.ts";
import type { SessionData } from "./store.ts";
import { jarsByName, pickJar } from "./with-sessions.ts";
import type { Jars } from "./with-sessions.ts";

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
 * Builds the context object over a request's jars (from `attachSessions`).
 * `session` is `undefined` when several names are configured or loading is lazy, so that reading
 * it cannot pick a session by accident (and assigning the context over an earlier one clears it).
 *
 * @example
 * ```ts
 * const jar = await SessionJar.open(settings, request.headers.get("Cookie"));
 * Object.assign(locals, sessionContext(attachSessions(request, jar)));
 * ```
 */
export function sessionContext<Data extends object = SessionData>(jars: Jars): SessionContext<Data> {
  const byName = jarsByName(jars);
  const sessions: Record<string, Session<Data>> = {};
  // Getters, so a lazy session appears once it is loaded and the record never goes stale.
  for (const [name, jar] of byName) {
    Object.defineProperty(sessions, name, { enumerable: true, get: () => jar.session(name) });
  }
  const loadSession = async (name?: string) => {
    const [jar, picked] = pickJar(jars, name);
    return (await jar.load(picked)) as unknown as Session<Data>;
  };
  const [only, more] = [...byName];
  const session = !more && only![1].loaded(only![0]) ? (only![1].session(only![0]) as unknown as Session<Data>) : undefined;
  return { session, sessions, loadSession } as SessionContext<Data>;
}
