/**
 * One Redis operation within the store's timeout, any failure turned into `ERR_SESSION_STORE`,
 * and many of them at once (a Redis client pipelines them: one per session of a batch on a Redis
 * Cluster).
 *
 * @module
 */

import { SessionError } from "../../errors.ts";

/** Runs operations within a timeout and reports failures as `ERR_SESSION_STORE`. */
export class Commands {
  constructor(
    readonly timeout: number,
    private readonly redact: (error: unknown) => unknown,
  ) {}

  /** Runs one operation within the timeout; any failure becomes `ERR_SESSION_STORE`. */
  async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SessionError("ERR_SESSION_STORE", `Redis did not answer the ${action} within ${this.timeout} ms`)),
        this.timeout,
      );
    });
    try {
      return await Promise.race([run(), timedOut]);
    } catch (error) {
      if (error instanceof SessionError) throw error;
      throw new SessionError("ERR_SESSION_STORE", `could not ${action} the session in Redis`, { cause: this.redact(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `run` on every item at once, each within the timeout; answers in order. */
  each<I, T>(action: string, items: readonly I[], run: (item: I) => Promise<T>): Promise<T[]> {
    return Promise.all(items.map((item) => this.call(action, () => run(item))));
  }
}
