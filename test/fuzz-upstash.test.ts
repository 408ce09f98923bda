// The generated-input properties of test/fuzz.test.ts, against UpstashRedisStore through an
// Upstash-compatible endpoint in front of a real Redis.
import { randomBytes } from "node:crypto";
import { afterAll, expect } from "vitest";
import { UpstashRedisStore } from "../src/stores/upstash.ts";
import { describeMiddlewareFuzz } from "./support/middleware-fuzz.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import type { UpstashEndpoint } from "./support/upstash-endpoint.ts";

// Keys of this run only, removed at the end: the Redis may be a developer's.
const prefix = `fuzz-${randomBytes(6).toString("hex")}:`;
let endpoint: Promise<UpstashEndpoint> | undefined;
let started: UpstashEndpoint | undefined;

afterAll(async () => {
  if (!endpoint) return;
  const { redis, close } = await endpoint;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  expect(await redis.keys(`${prefix}*`)).toEqual([]);
  await close();
});

describeMiddlewareFuzz("UpstashRedisStore", {
  async make(secrets) {
    started = await (endpoint ??= startUpstashEndpoint());
    return new UpstashRedisStore({ url: started.url, token: started.token, secrets, prefix });
  },
  serverSide: true,
  roundTrips: () => started!.requests,
  // Each save and most loads are an HTTP request here: fewer of the slower cases, the same 10,000 headers.
  writes: 500,
  contents: 200,
});
