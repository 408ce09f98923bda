/**
 * A Redis Lua script sent by `EVALSHA`, and by `EVAL` (which also caches it) when Redis answers
 * `NOSCRIPT`: after a restart, a `SCRIPT FLUSH`, or the first time anyone runs it.
 *
 * @module
 */

/**
 * Sends one Redis command (name first, every argument a string) and resolves its reply. `key` is
 * the key the command touches, for a Redis Cluster client that routes by it (every command the
 * stores send touches one key, so it goes to that key's node; a script's `EVAL` after `NOSCRIPT`
 * goes to the same node as its `EVALSHA`, since each node keeps its own script cache).
 */
export type RedisCommand = (args: string[], key?: string) => Promise<unknown>;

const encoder = new TextEncoder();

/** One script's text and its SHA-1, computed once. */
export class RedisScript {
  #sha: Promise<string> | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** The SHA-1 Redis knows the script by, hex. */
  sha(): Promise<string> {
    return (this.#sha ??= crypto.subtle.digest("SHA-1", encoder.encode(this.text)).then((digest) =>
      Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(""),
    ));
  }

  /** Runs the script: one round trip, two when Redis does not have it yet. */
  async run(send: RedisCommand, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await send(["EVALSHA", await this.sha(), ...tail], keys[0]);
    } catch (error) {
      if (!/NOSCRIPT/.test(String((error as { message?: unknown })?.message))) throw error;
      return send(["EVAL", this.text, ...tail], keys[0]);
    }
  }
}
