/**
 * A real Redis Cluster for the tests: three masters and three replicas, from the machine's
 * `redis-server` (cluster mode is built in) on free loopback ports, each node in a folder of its
 * own under the system's temp folder, formed with `redis-cli --cluster create`. `stop()` shuts
 * every node down and removes the folders; the nodes also die with the test process.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

const HOW_TO_GET_REDIS =
  "The Redis Cluster tests start their own cluster from redis-server and redis-cli (7.0 or newer) on PATH " +
  "(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis).";

export interface ClusterNode {
  port: number;
  process: ChildProcess;
}

export interface RedisCluster {
  /** Every node, masters first as `redis-cli --cluster create` assigned them. */
  nodes: ClusterNode[];
  /** `{ host, port }` of every node, for ioredis's `Cluster` and node-redis's `rootNodes`. */
  rootNodes: Array<{ host: string; port: number }>;
  /** Runs redis-cli against one node and returns its output. */
  cli(port: number, ...args: string[]): string;
  /** The ports of the nodes that are masters right now. */
  masters(): number[];
  stop(): Promise<void>;
}

/** `cluster-node-timeout` in ms: how long a master may be silent before its replica takes over. */
export const NODE_TIMEOUT = 1000;

function cli(port: number, ...args: string[]): string {
  const result = spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { encoding: "utf8", timeout: 20_000 });
  if (result.error) throw new Error(`could not run redis-cli: ${result.error.message}. ${HOW_TO_GET_REDIS}`);
  return `${result.stdout}${result.stderr}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms. ${HOW_TO_GET_REDIS}`);
    await sleep(100);
  }
}

/** Starts six nodes and forms a cluster of three masters, each with one replica. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "web-sessions-cluster-"));
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(
        ({ process: child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      const child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`,
          "--cluster-node-timeout", String(NODE_TIMEOUT), "--save", "", "--appendonly", "no", "--dir", dir],
        { stdio: "ignore" },
      );
      child.once("error", () => {});
      nodes.push({ port, process: child });
      process.once("exit", () => child.kill("SIGKILL"));
    }
    for (const { port, process: child } of nodes) {
      await waitFor(`redis-server on port ${port} did not answer`, () => {
        if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited. ${HOW_TO_GET_REDIS}`);
        return /PONG/.test(cli(port, "PING"));
      }, 10_000);
    }
    const created = spawnSync(
      "redis-cli",
      ["--cluster", "create", ...nodes.map(({ port }) => `127.0.0.1:${port}`), "--cluster-replicas", "1", "--cluster-yes"],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}. ${HOW_TO_GET_REDIS}`);
    // Every node must agree the cluster is whole, and every replica be in sync, before tests run.
    await waitFor("the cluster did not come up", () => nodes.every(({ port }) => /cluster_state:ok/.test(cli(port, "CLUSTER", "INFO"))), 30_000);
    await waitFor("the replicas did not sync", () => nodes.every(({ port }) => !/master_link_status:down/.test(cli(port, "INFO", "replication"))), 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    rootNodes: nodes.map(({ port }) => ({ host: "127.0.0.1", port })),
    cli,
    masters: () => nodes.filter(({ process: child, port }) => child.exitCode === null && child.signalCode === null && /role:master/.test(cli(port, "INFO", "replication"))).map(({ port }) => port),
    stop,
  };
}
