// The store conformance suite (web-sessions/testing) under `bun test`, with bun:test's own
// describe, it and expect. The RedisStore runs through Bun's own RedisClient when the spawning
// test passes the Redis URL; DenoKvStore on @deno/kv's SQLite database, with V8 codecs that
// refuse: on Bun, @deno/kv asks for them, and the store stores only bytes, so they go unused.
import { openKv } from "@deno/kv";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RedisClient } from "bun";
import { afterAll, describe, expect, it } from "bun:test";
import { storeConformance } from "../../../testing/index.ts";
import { REDIS_ENV, subjects, upstashFromEnv } from "../subjects.ts";

const url = Bun.env[REDIS_ENV];
const client = url ? new RedisClient(url) : undefined;
afterAll(() => client?.close());
const dir = mkdtempSync(join(tmpdir(), "web-sessions-bun-kv-"));
const refuse = (): never => {
  throw new Error("DenoKvStore stored a value that is not bytes");
};
const kv = await openKv(join(dir, "kv.sqlite3"), { encodeV8: refuse, decodeV8: refuse });
afterAll(() => {
  kv.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Bun.env), client && { label: "Bun RedisClient", client: () => client }, { label: "@deno/kv, SQLite", kv }))) {
  storeConformance({ describe, it, expect }, label, subject);
}
