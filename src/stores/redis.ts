/**
 * `RedisStore`: sessions in Redis over TCP, for Node and Bun servers, through the client the app
 * already has (node-redis, ioredis, or Bun's `RedisClient`). The same keys, fields and scripts as
 * `UpstashRedisStore`: with the same prefix and secrets, a Worker on Upstash and a Node server on
 * TCP share sessions through one Redis. A Redis Cluster client works too: no command or script
 * touches more than one key (see src/server-store/redis/driver.ts for the layout).
 *
 * @module
 */

import { SessionError, assertConfig } from "../errors.ts";
import { RedisDriver } from "../server-store/redis/driver.ts";
import type { RedisCommand } from "../server-store/redis/script.ts";
import { ServerStore } from "../server-store/server-store.ts";
import type { ServerStoreOptions } from "../server-store/server-store.ts";

/** A node-redis client (`createClient()` from `redis`, connected): it has `sendCommand`. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * A node-redis Cluster client (`createCluster({ rootNodes })` from `redis`, connected): its
 * `sendCommand` takes the key to route by first.
 */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  getSlotMaster(slot: number): unknown;
}

/** An ioredis client (`new Redis()`) or Cluster (`new Cluster()`) from `ioredis`: it has `call`, which routes by the command's keys. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  /** `true` on an ioredis `Cluster`: the store then names one key per script. */
  isCluster?: boolean;
}

/** Bun's built-in client (`new RedisClient()` from `bun`): it has `send`. */
export interface BunRedisLike {
  send(command: string, args: string[]): Promise<unknown>;
}

/**
 * A node-redis Sentinel client (`createSentinel()` from `redis`, connected): its `sendCommand`
 * takes an `isReadonly` flag first, and it has `getMasterNode`.
 */
export interface NodeRedisSentinelLike {
  sendCommand(isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  getMasterNode(): unknown;
}

/** Any client `RedisStore` can talk through, told apart by shape. */
export type RedisClientLike = NodeRedisLike | NodeRedisClusterLike | NodeRedisSentinelLike | IoRedisLike | BunRedisLike;

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions extends ServerStoreOptions {
  /**
   * A connected node-redis client or Cluster, an ioredis client or Cluster, or Bun's `RedisClient`;
   * for Redis Sentinel, node-redis `createSentinel(...)` (connected) or ioredis
   * `new Redis({ sentinels, name })`.
   */
  client: RedisClientLike;
  /** Prepended to every Redis key. @default "session:" */
  prefix?: string;
  /** Milliseconds one call may take before it rejects with `ERR_SESSION_STORE`. @default 5000 */
  timeout?: number;
}

/**
 * Sessions in Redis over TCP, on one server or a Redis Cluster. One round trip to load a session,
 * one to save it (one atomic script: fields and TTL; a save that names a new owner adds it to the
 * owner's index first), none for a request without a valid signed cookie. A refused connection,
 * a timeout or a Redis error rejects with `ERR_SESSION_STORE`.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { RedisStore } from "web-sessions/redis";
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = new RedisStore({ client, secrets: process.env.SESSION_SECRET!, owner: "userId" });
 * ```
 */
export class RedisStore extends ServerStore {
  protected readonly driver: RedisDriver;

  constructor(options: RedisStoreOptions) {
    super(options, "RedisStore");
    const { client, prefix = "session:", timeout = 5000 } = options;
    assertConfig(typeof prefix === "string", "RedisStore: prefix must be a string");
    assertConfig(Number.isFinite(timeout) && timeout > 0, "RedisStore: timeout must be a positive number of milliseconds");
    this.driver = new RedisDriver({ send: commandOf(client), prefix, timeout, cluster: isCluster(client), redact });
  }
}

/** How to send one command through `client`. ioredis also has a `sendCommand` of its own: `call` first. */
function commandOf(client: RedisClientLike): RedisCommand {
  const any = client as Partial<IoRedisLike & BunRedisLike> & { sendCommand?: unknown; getSlotMaster?: unknown };
  if (typeof any?.call === "function") return ([name, ...args]) => any.call!(name!, ...args);
  if (typeof any?.send === "function") return ([name, ...args]) => any.send!(name!, args);
  if (typeof any?.sendCommand === "function" && typeof any.getSlotMaster === "function") {
    const cluster = client as NodeRedisClusterLike;
    // Not read-only: a read goes to the slot's master, which has every acknowledged write.
    return (args, key) => cluster.sendCommand(key, false, args);
  }
  if (isNodeRedisSentinel(client)) return sentinelCommand(client);
  if (typeof any?.sendCommand === "function") return (args) => (client as NodeRedisLike).sendCommand(args);
  throw new SessionError("ERR_SESSION_CONFIG", "RedisStore: client must be a node-redis or ioredis client, Cluster or Sentinel, or a Bun RedisClient");
}

/** A Redis Cluster client: node-redis's has `getSlotMaster`, ioredis's `Cluster` says `isCluster`. */
function isCluster(client: RedisClientLike): boolean {
  const any = client as { getSlotMaster?: unknown; isCluster?: unknown };
  return typeof any.getSlotMaster === "function" || any.isCluster === true;
}

/** node-redis's Sentinel client: the only one with `getMasterNode` (ioredis with `sentinels` is a plain `Redis`). */
function isNodeRedisSentinel(client: RedisClientLike): client is NodeRedisSentinelLike {
  return typeof (client as Partial<NodeRedisSentinelLike> | undefined)?.getMasterNode === "function";
}

/**
 * Every command goes to the master (`isReadonly: false`): a replica can lag behind it, and a
 * session read from one could miss the save the same user just made.
 */
function sentinelCommand(client: NodeRedisSentinelLike): RedisCommand {
  return (args) => client.sendCommand(false, args);
}

/**
 * Clients keep the command, session data included, on their errors (ioredis's `command.args`):
 * the cause keeps only the error's name and message.
 */
function redact(error: unknown): unknown {
  if (!(error instanceof Error)) return new Error(String(error));
  const copy = new Error(error.message);
  copy.name = error.name;
  return copy;
}
