/**
 * The Redis driver of the server-store engine: the same keys, fields and scripts whatever carries
 * the commands (Upstash's HTTP, node-redis, ioredis, Bun's client), so stores on different
 * transports share sessions through one Redis. Each operation is one round trip.
 *
 * @module
 */

import { SessionError } from "../../errors.ts";
import type { SessionInfo, StoredSession } from "../../store.ts";
import type { SessionDriver } from "../server-store.ts";
import type { WritePlan } from "../write-plan.ts";
import { DESTROY_ALL_SCRIPT } from "./destroy-all-script.ts";
import { DESTROY_SCRIPT } from "./destroy-script.ts";
import { parseHash, planFields } from "./fields.ts";
import { LIST_SCRIPT } from "./list-script.ts";
import { SAVE_SCRIPT } from "./save-script.ts";
import type { RedisCommand } from "./script.ts";

/** What a Redis store hands the driver. */
export interface RedisDriverOptions {
  send: RedisCommand;
  /** Prepended to every key: `prefix + id` is a session, `prefix + "owner:" + name` an owner's index. */
  prefix: string;
  /** Milliseconds one operation may take (a retry or a NOSCRIPT reload included). */
  timeout: number;
  /**
   * Turns a transport's error into a `cause` that holds no session data (clients put the command,
   * arguments included, into their errors).
   */
  redact: (error: unknown) => unknown;
}

export class RedisDriver implements SessionDriver {
  readonly #send: RedisCommand;
  readonly #prefix: string;
  // Session ids are base64url, so no id can look like "owner:...".
  readonly #indexPrefix: string;
  readonly #timeout: number;
  readonly #redact: (error: unknown) => unknown;

  constructor({ send, prefix, timeout, redact }: RedisDriverOptions) {
    this.#send = send;
    this.#prefix = prefix;
    this.#indexPrefix = prefix + "owner:";
    this.#timeout = timeout;
    this.#redact = redact;
  }

  async read(id: string, expiresAt: number): Promise<StoredSession | undefined> {
    const reply = await this.#call("load", () => this.#send(["HGETALL", this.#prefix + id]));
    return parseHash(id, reply, expiresAt);
  }

  async write(plan: WritePlan): Promise<boolean> {
    const { set, deleted } = planFields(plan);
    const keys = [this.#prefix + plan.id];
    if (plan.previousId !== undefined) keys.push(this.#prefix + plan.previousId);
    const owner = plan.owner === undefined ? "k" : plan.owner === null ? "d" : "s" + plan.owner;
    const args = [
      plan.mustExist ? "1" : "0",
      plan.whole ? "1" : "0",
      String(plan.expiresAt),
      String(Date.now()),
      owner,
      this.#indexPrefix,
      plan.id,
      plan.previousId ?? "",
      String(set.length / 2),
      ...set,
      ...deleted,
    ];
    const reply = await this.#call("save", () => SAVE_SCRIPT.run(this.#send, keys, args));
    return Number(reply) === 1;
  }

  async remove(id: string): Promise<void> {
    await this.#call("destroy", () => DESTROY_SCRIPT.run(this.#send, [this.#prefix + id], [this.#indexPrefix, id]));
  }

  async list(owner: string, now: number): Promise<SessionInfo[]> {
    const reply = await this.#call("list", () => LIST_SCRIPT.run(this.#send, [this.#indexPrefix + owner], [this.#prefix, String(now)]));
    const flat = Array.isArray(reply) ? reply.map((item) => String(item).slice(1)) : [];
    const sessions: SessionInfo[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      sessions.push({ id: flat[i]!, createdAt: Number(flat[i + 1]), expiresAt: Number(flat[i + 2]) });
    }
    return sessions;
  }

  async removeAll(owner: string, except: string | undefined): Promise<number> {
    const reply = await this.#call("destroyAll", () =>
      DESTROY_ALL_SCRIPT.run(this.#send, [this.#indexPrefix + owner], [this.#prefix, except ?? ""]),
    );
    return Number(reply);
  }

  /** Runs one operation within the timeout; any failure becomes `ERR_SESSION_STORE`. */
  async #call<T>(action: string, run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SessionError("ERR_SESSION_STORE", `Redis did not answer the ${action} within ${this.#timeout} ms`)),
        this.#timeout,
      );
    });
    try {
      return await Promise.race([run(), timedOut]);
    } catch (error) {
      if (error instanceof SessionError) throw error;
      throw new SessionError("ERR_SESSION_STORE", `could not ${action} the session in Redis`, { cause: this.#redact(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
