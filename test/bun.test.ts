// web-sessions/bun and the store conformance suite under the real Bun, through `bun test`.
import { afterAll, describe, expect, it } from "vitest";
import { binary, conformanceCaseCount, run, versionOf } from "./support/runtime.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import { ensureRedis } from "./support/redis.ts";
import { REDIS_ENV, UPSTASH_ENV } from "./runtimes/subjects.ts";

// test() cases in test/runtimes/bun/serve_test.ts.
const SERVE_CASES = 2;

// The Upstash store's conformance run talks to this endpoint (in front of the test Redis) from the child.
const upstash = await startUpstashEndpoint();
afterAll(() => upstash.close());
const redisUrl = (await ensureRedis()).url;
const childEnv = { [UPSTASH_ENV.url]: upstash.url, [UPSTASH_ENV.token]: upstash.token, [REDIS_ENV]: redisUrl };
// Counted only: the suite never calls a store factory while it declares its cases.
const bunRedis = { label: "Bun RedisClient", client: () => ({ send: async () => null }) };

describe(`Bun (${versionOf("bun")})`, () => {
  it("passes the conformance suite (Cookie, Memory, Upstash and Redis stores) and the Bun.serve tests", async () => {
    // Explicit paths: a bare `bun test` would also pick up the Deno files.
    const { code, output } = await run(binary("bun"), ["test", "./test/runtimes/bun/"], childEnv);
    const passed = /^\s*(\d+) pass$/m.exec(output);
    const failed = /^\s*(\d+) fail$/m.exec(output);
    expect(passed && failed, output).not.toBeNull();
    expect({ code, passed: Number(passed![1]), failed: Number(failed![1]) }, output).toEqual({
      code: 0,
      passed: conformanceCaseCount(upstash, bunRedis) + SERVE_CASES,
      failed: 0,
    });
    expect(upstash.requests, "the Upstash store's cases reached the endpoint").toBeGreaterThan(0);
    expect(output, "the RedisStore ran under Bun's RedisClient").toContain("RedisStore (Bun RedisClient): store conformance");
  }, 120_000);
});
