/**
 * A Redis Sentinel group for the tests, started from the machine's `redis-server` on free loopback
 * ports in a temp folder: a master, one replica and three sentinels (quorum 2), every address
 * bound and announced as 127.0.0.1 so clients reach a promoted replica on loopback. `start` resolves
 * once the replica is in sync and every sentinel knows the replica and the two other sentinels (so
 * a failover can be elected); `stop` kills every process and removes the folder, also after a failed test.
 * `sentinelClients` adds a connected node-redis and ioredis client on the group.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "node:net";
import { Redis as IoRedis } from "ioredis";
import { createSentinel } from "redis";
import type { RedisSentinelType } from "redis";
import { afterAll } from "vitest";
import { freePort } from "./free-port.ts";

const HOW_TO_GET_REDIS =
  "The Sentinel tests start their own redis-server processes (Sentinel mode is built in): install redis-server " +
  "(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis).";

export interface SentinelNode {
  host: string;
  port: number;
}

export interface SentinelGroup {
  /** The name the sentinels monitor the master under. */
  name: string;
  sentinels: SentinelNode[];
  /** The port of the node that is master right now (as the sentinels report it). */
  masterPort(): Promise<number>;
  /** The ports of the two data nodes, the first master at the start. */
  dataPorts: number[];
  /** SIGKILLs the data node on `port` (no shutdown, no save: a crash). */
  kill(port: number): Promise<void>;
  /** Freezes (`SIGSTOP`) or thaws (`SIGCONT`) the data node on `port`: a node that stops answering. */
  signal(port: number, signal: "SIGSTOP" | "SIGCONT"): void;
  /** Sends one command to 127.0.0.1:port and resolves the raw RESP reply. */
  command(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

interface Running {
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
}

/** Starts a master, a replica and three sentinels; rejects (and cleans up) if they do not settle within 20 s. */
export async function startSentinelGroup(name = "sessions"): Promise<SentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), "web-sessions-sentinel-"));
  const running: Running[] = [];
  const stop = async () => {
    for (const node of running) node.child.kill("SIGKILL");
    await Promise.all(running.map((node) => node.exited));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", () => running.forEach((node) => node.child.kill("SIGKILL")));
  try {
    const [masterPort, replicaPort, ...sentinelPorts] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    // Each sentinel is told the others (and the replica) up front, by id, instead of finding them
    // through the master's hello messages, which come every 2 s: the group settles seconds sooner.
    const ids = sentinelPorts.map(() => randomBytes(20).toString("hex"));
    const sentinelConfig = (i: number) => [
      `sentinel myid ${ids[i]}`,
      "sentinel announce-ip 127.0.0.1",
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      `sentinel parallel-syncs ${name} 1`,
      `sentinel known-replica ${name} 127.0.0.1 ${replicaPort}`,
      ...sentinelPorts.flatMap((port, j) => (j === i ? [] : [`sentinel known-sentinel ${name} 127.0.0.1 ${port} ${ids[j]}`])),
    ];
    await startNode(dir, running, "master", masterPort!, []);
    await startNode(dir, running, "replica", replicaPort!, [`replicaof 127.0.0.1 ${masterPort}`]);
    const dataNode = (port: number) => {
      const node = running.slice(0, 2).find((candidate) => candidate.port === port);
      if (!node) throw new Error(`no Redis of this group on port ${port}`);
      return node;
    };
    const sentinels: Running[] = [];
    for (const [i, port] of sentinelPorts.entries()) sentinels.push(await startNode(dir, running, `sentinel-${i}`, port, sentinelConfig(i), true));
    const group: SentinelGroup = {
      name,
      sentinels: sentinels.map(({ port }) => ({ host: "127.0.0.1", port })),
      masterPort: async () => Number(parseArray(await send(sentinels[0]!.port, ["SENTINEL", "get-master-addr-by-name", name]))[1]),
      dataPorts: [masterPort!, replicaPort!],
      kill: async (port) => {
        const node = dataNode(port);
        node.child.kill("SIGKILL");
        await node.exited;
      },
      signal: (port, signal) => void dataNode(port).child.kill(signal),
      command: (port, ...args) => send(port, args),
      stop,
    };
    await until(20_000, "the replica in sync and three sentinels agreeing on the master", async () => {
      const replication = await send(replicaPort!, ["INFO", "replication"]);
      if (!replication.includes("master_link_status:up")) return false;
      for (const sentinel of sentinels) {
        const master = parseArray(await send(sentinel.port, ["SENTINEL", "get-master-addr-by-name", name]));
        if (Number(master[1]) !== masterPort) return false;
        if (countEntries(await send(sentinel.port, ["SENTINEL", "replicas", name])) !== 1) return false;
        if (countEntries(await send(sentinel.port, ["SENTINEL", "sentinels", name])) !== 2) return false;
      }
      return true;
    });
    return group;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startNode(dir: string, running: Running[], label: string, port: number, extra: string[], sentinel = false): Promise<Running> {
  const config = join(dir, `${label}.conf`);
  const lines = [
    `port ${port}`,
    "bind 127.0.0.1",
    `dir ${dir}`,
    // A replica's first sync waits 5 s by default for more replicas to share one transfer: not here.
    ...(sentinel ? [] : ['save ""', "appendonly no", "replica-announce-ip 127.0.0.1", `dbfilename ${label}.rdb`, "repl-diskless-sync-delay 0"]),
    ...extra,
  ];
  // Sentinel rewrites its config file (the current master, the known sentinels): it must be writable.
  writeFileSync(config, lines.join("\n") + "\n");
  const child = spawn("redis-server", sentinel ? [config, "--sentinel"] : [config], { stdio: "ignore" });
  // A binary that could not start emits "error" and may never emit "exit".
  const exited = new Promise<void>((resolve) => (child.once("exit", () => resolve()), child.once("error", () => resolve())));
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`could not start redis-server: ${error.message}. ${HOW_TO_GET_REDIS}`))),
  );
  const node = { port, child, exited };
  running.push(node);
  await Promise.race([spawnError, until(5_000, `${label} on port ${port} answering PING`, async () => (await send(port, ["PING"])).startsWith("+PONG"))]);
  return node;
}

/** Polls `check` every 100 ms; a check that throws (a refused connection) counts as "not yet". */
async function until(ms: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/**
 * One command over a fresh connection, resolving the raw reply once it stops arriving. Enough
 * for the harness's few probes, which must not depend on the clients under test.
 */
function send(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    let idle: ReturnType<typeof setTimeout> | undefined;
    socket.setTimeout(1_000, () => (socket.destroy(), reject(new Error(`no answer on port ${port}`))));
    socket.once("error", reject);
    socket.once("connect", () => socket.write(`*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")));
    socket.on("data", (data) => {
      reply += data.toString();
      clearTimeout(idle);
      idle = setTimeout(() => (socket.destroy(), resolve(reply)), 20);
    });
  });
}

/** The bulk strings of a flat RESP array reply, in order. */
function parseArray(reply: string): string[] {
  return reply.split("\r\n").filter((_, i, lines) => i > 0 && lines[i - 1]!.startsWith("$"));
}

/** How many entries an array-of-maps reply (`SENTINEL replicas|sentinels`) has. */
function countEntries(reply: string): number {
  const match = /^\*(\d+)/.exec(reply);
  return match ? Number(match[1]) : -1;
}

/** A group and one client of each library on it, torn down after the file's tests (also when one fails). */
export interface SentinelClients {
  group: SentinelGroup;
  /** node-redis `createSentinel(...)`, connected, with a pool of replica connections for read-only commands. */
  nodeRedis: RedisSentinelType;
  /** ioredis `new Redis({ sentinels, name })`. */
  ioredis: IoRedis;
}

/** Starts a group and connects both clients; `afterAll` closes them and stops the group. */
export async function sentinelClients(): Promise<SentinelClients> {
  const group = await startSentinelGroup();
  const closing: Array<() => unknown> = [() => group.stop()];
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
  });
  // With a replica pool, node-redis sends the commands it is told are read-only to the replica: the
  // store must tell it that none are, or its scripts fail there and its reads may miss a save.
  const nodeRedis = createSentinel({ name: group.name, sentinelRootNodes: group.sentinels, replicaPoolSize: 1 });
  // Without a listener, an error event (a node going away in a failover) would crash the process.
  nodeRedis.on("error", () => {});
  closing.push(() => nodeRedis.destroy());
  await nodeRedis.connect();
  const ioredis = new IoRedis({ sentinels: group.sentinels, name: group.name });
  ioredis.on("error", () => {});
  closing.push(() => ioredis.disconnect());
  return { group, nodeRedis, ioredis };
}
