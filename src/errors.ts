/**
 * The one error class of web-sessions, with a stable `code` to `switch` on.
 *
 * @module
 */

/** Every code a {@link SessionError} can carry. */
export type SessionErrorCode =
  /** Invalid options, caught when a store or middleware is built. */
  | "ERR_SESSION_CONFIG"
  /** The store could not load, save or delete a session (down, refused, timed out). */
  | "ERR_SESSION_STORE"
  /** The cookie's `name=value` would pass 4096 bytes, so no browser would keep it. */
  | "ERR_SESSION_COOKIE_TOO_LARGE"
  /** `getSession` found no session middleware, or no session of that name. */
  | "ERR_SESSION_MISSING"
  /** Session data that cannot be stored as JSON (a BigInt, a cycle). */
  | "ERR_SESSION_DATA"
  /**
   * `save()` or `destroy()` where the framework lets no cookie be set (a Next.js Server
   * Component): save in a Server Action, a Route Handler or Middleware instead.
   */
  | "ERR_SESSION_READ_ONLY";

/**
 * Thrown (or rejected with) for misconfiguration and for failures that would otherwise lose data.
 * A bad cookie is never an error: it yields a new, empty session.
 *
 * @example
 * ```ts
 * import { SessionError } from "web-sessions";
 *
 * try {
 *   await session.save();
 * } catch (error) {
 *   if (error instanceof SessionError && error.code === "ERR_SESSION_STORE") {
 *     return new Response("Try again shortly", { status: 503 });
 *   }
 *   throw error;
 * }
 * ```
 */
export class SessionError extends Error {
  override name = "SessionError";
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Throws an `ERR_SESSION_CONFIG` error unless `condition` holds. */
export function assertConfig(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SessionError("ERR_SESSION_CONFIG", message);
}
