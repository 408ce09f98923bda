/**
 * Assertions that run the same under vitest, `deno test` and `bun test`: `node:assert/strict`.
 * (The conformance suite's own, over its runner's `expect`, are in testing/assert.ts.)
 */
import assert from "node:assert/strict";

export { assert };
export { manualClock } from "../../testing/assert.ts";
