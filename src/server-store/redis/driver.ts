/**
 * The Redis driver of the server-store engine: the same keys, fields and scripts whatever carries
 * the commands (Upstash's HTTP, node-redis, ioredis, Bun's client) and whatever Redis answers (one
 * server or a Redis Cluster), so stores on different transports share sessions through one Redis.
 *
 * Key layout (no hash tags: no command or script touches two keys):
 * - `prefix + id`: a session's hash (fields in fields.ts), expiring with the session;
 * - `prefix + "owner:" + name`: an owner's index, a sorted set of ids (owner-index.ts). Session ids
 *   are base64url, so no id can look like `owner:...`.
 *
 * Round trips: a load is one `HGETALL`; a touch (a request that used a session without saving it,
 * at most once per 5 minutes) is one script setting the `m:s` field; a save that leaves the owner as it is (the common request)
 * is one script. A save that names an owner first adds the id to that owner's index (so the index
 * never misses a session, even if the save then fails). A save after `regenerate()` writes the new
 * id, then ends the old one, which answers whether it was still there: if another request signed
 * it out meanwhile, the new id is ended again and the save reports the session gone (nobody has
 * the new id's cookie yet), so a regenerating request cannot sign a browser back in.
 *
 * @module
 */

import type { SessionInfo, StoredSession } from "../../store.ts";
import type { SessionDriver } from "../server-store.ts";
import type { WritePlan } from "../write-plan.ts";
import { Commands } from "./commands.ts";
import { END_SCRIPT, TOUCH_SCRIPT, parseEnded } from "./session-scripts.ts";
import type { Ended } from "./session-scripts.ts";
import { parseHash, planFields } from "./fields.ts";
import { endOwner, listOwner } from "./owner-index.ts";
import type { IndexContext } from "./owner-index.ts";
import { SAVE_SCRIPT } from "./save-script.ts";
import type { RedisCommand } from "./script.ts";

/** What a Redis store hands the driver. */
export interface RedisDriverOptions {
  send: RedisCommand;
  /** Prepended to every key: `prefix + id` is a session, `prefix + "owner:" + name` an owner's index. */
  prefix: string;
  /** Milliseconds one command may take (a NOSCRIPT reload included). */
  timeout: number;
  /** A Redis Cluster: `list()` and `destroyAll()` ask each session in a script of its own. */
  cluster: boolean;
  /**
   * Turns a transport's error into a `cause` that holds no session data (clients put the command,
   * arguments included, into their errors).
   */
  redact: (error: unknown) => unknown;
}

export class RedisDriver implements SessionDriver {
  readonly #send: RedisCommand;
  readonly #prefix: string;
  readonly #indexPrefix: string;
  readonly #commands: Commands;
  readonly #context: IndexContext;

  constructor({ send, prefix, timeout, cluster, redact }: RedisDriverOptions) {
    this.#send = send;
    this.#prefix = prefix;
    this.#indexPrefix = prefix + "owner:";
    this.#commands = new Commands(timeout, redact);
    this.#context = { send, commands: this.#commands, prefix, cluster };
  }

  async read(id: string, expiresAt: number): Promise<StoredSession | undefined> {
    const key = this.#prefix + id;
    const reply = await this.#commands.call("load", () => this.#send(["HGETALL", key], key));
    return parseHash(id, reply, expiresAt);
  }

  async write(plan: WritePlan): Promise<boolean> {
    const index = typeof plan.owner === "string" ? this.#indexPrefix + plan.owner : undefined;
    // GT: a later add never lowers the expiry an earlier save announced.
    if (index) await this.#commands.call("save", () => this.#send(["ZADD", index, "GT", String(plan.expiresAt), plan.id], index));
    const { set, deleted } = planFields(plan);
    const owner = plan.owner === undefined ? "k" : plan.owner === null ? "d" : "s" + plan.owner;
    const args = [plan.mustExist ? "1" : "0", plan.whole ? "1" : "0", String(plan.expiresAt), owner, String(set.length / 2), ...set, ...deleted];
    const reply = await this.#commands.call("save", () => SAVE_SCRIPT.run(this.#send, [this.#prefix + plan.id], args));
    if (Number(reply) !== 1) {
      // Only a session that must exist is refused, and one that is gone is never written again.
      if (index) await this.#commands.call("save", () => this.#send(["ZREM", index, plan.id], index));
      return false;
    }
    if (plan.previousId === undefined) return true;
    if (await this.#end(plan.previousId)) return true;
    // The old id was signed out while this save ran: the new id must not outlive it.
    await this.#end(plan.id);
    return false;
  }

  async remove(id: string): Promise<void> {
    await this.#end(id);
  }

  async touch(id: string, at: number, staleBefore: number): Promise<void> {
    const key = this.#prefix + id;
    await this.#commands.call("touch", () => TOUCH_SCRIPT.run(this.#send, [key], [String(at), String(staleBefore)]));
  }

  list(owner: string, now: number, listed: readonly string[] | undefined): Promise<SessionInfo[]> {
    return listOwner(this.#context, this.#indexPrefix + owner, owner, now, listed);
  }

  removeAll(owner: string, except: string | undefined): Promise<number> {
    return endOwner(this.#context, this.#indexPrefix + owner, owner, except, Date.now());
  }

  /** Ends session `id` and drops it from its owner's index (it is never written again); whether it was there. */
  async #end(id: string): Promise<boolean> {
    const key = this.#prefix + id;
    const [ended] = (await this.#commands.call("destroy", () => END_SCRIPT.run(this.#send, [key], [""]).then((reply) => parseEnded(reply, 1)))) as [Ended];
    if (ended.state === "ended" && ended.owner !== undefined) {
      const index = this.#indexPrefix + ended.owner;
      await this.#commands.call("destroy", () => this.#send(["ZREM", index, id], index));
    }
    return ended.state === "ended";
  }
}
