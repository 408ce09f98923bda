// The store conformance suite under `bun test`, with bun:test's own describe and it. The
// RedisStore runs through Bun's own RedisClient when the spawning test passes the Redis URL.
import { RedisClient } from "bun";
import { afterAll, describe, it } from "bun:test";
import { storeConformance } from "../../conformance-suite.ts";
import { REDIS_ENV, subjects, upstashFromEnv } from "../subjects.ts";

const url = Bun.env[REDIS_ENV];
const client = url ? new RedisClient(url) : undefined;
afterAll(() => client?.close());

for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Bun.env), client && { label: "Bun RedisClient", client: () => client }))) {
  storeConformance({ describe, it }, label, subject);
}
