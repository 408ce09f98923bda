// The store conformance suite (web-sessions/testing) under `bun test`, with bun:test's own
// describe, it and expect. The RedisStore runs through Bun's own RedisClient when the spawning test passes the Redis URL;
// DenoKvStore on @deno/kv's in-memory database.
import { openKv } from "@deno/kv";
import { RedisClient } from "bun";
import { afterAll, describe, expect, it } from "bun:test";
import { storeConformance } from "../../../testing/index.ts";
import { REDIS_ENV, subjects, upstashFromEnv } from "../subjects.ts";

const url = Bun.env[REDIS_ENV];
const client = url ? new RedisClient(url) : undefined;
afterAll(() => client?.close());
const kv = await openKv("");
afterAll(() => kv.close());

for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Bun.env), client && { label: "Bun RedisClient", client: () => client }, { label: "@deno/kv", kv }))) {
  storeConformance({ describe, it, expect }, label, subject);
}
