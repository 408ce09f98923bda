/**
 * The real backends that tests running every server store side by side need: the Upstash-compatible
 * endpoint, an ioredis connection to the test Redis, and a @deno/kv database on a SQLite file
 * (its in-memory one mis-schedules expiry past 24.8 days). `close()` releases all three.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openKv } from "@deno/kv";
import { Redis as IoRedis } from "ioredis";
import { ensureRedis } from "./redis.ts";
import { startUpstashEndpoint } from "./upstash-endpoint.ts";

export async function startBackends(label: string) {
  const endpoint = await startUpstashEndpoint();
  const ioredis = new IoRedis((await ensureRedis()).url);
  const kvDir = mkdtempSync(join(tmpdir(), `web-sessions-${label}-kv-`));
  const kv = await openKv(join(kvDir, "kv.sqlite3"));
  const close = async () => {
    kv.close();
    rmSync(kvDir, { recursive: true, force: true });
    ioredis.disconnect();
    await endpoint.close();
  };
  return { endpoint, ioredis, kv, close };
}
