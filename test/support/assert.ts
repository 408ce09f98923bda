/**
 * Assertions that run the same under vitest, `deno test` and `bun test`: `node:assert/strict`,
 * and the conformance suite's `expect` made of it, for runners that have none of their own
 * (`Deno.test`, a Worker inside workerd). The suite's own assertions are in testing/assert.ts.
 */
import assert from "node:assert/strict";
import type { ConformanceRunner, Matchers, TestBody } from "../../testing/index.ts";

export { assert };
export { manualClock } from "../../testing/assert.ts";

/** The matchers of web-sessions/testing over `node:assert/strict`. */
export function nodeExpect(actual: unknown, message?: string): Matchers {
  return {
    toBe: (expected) => assert.equal(actual, expected, message),
    toStrictEqual: (expected) => assert.deepEqual(actual, expected, message),
    toMatch: (expected) => assert.match(String(actual), expected, message),
    not: { toBe: (expected) => assert.notEqual(actual, expected, message) },
  };
}

/**
 * A conformance runner for a framework with no `describe` (`Deno.test`, a Worker in workerd):
 * `describe` only prefixes the names, and each case goes to `register` as "outer > inner > name".
 */
export function scopedRunner(register: (name: string, body: TestBody) => void): Required<Pick<ConformanceRunner, "describe" | "it" | "expect">> {
  const scope: string[] = [];
  return {
    describe(name, body) {
      scope.push(name);
      try {
        body();
      } finally {
        scope.pop();
      }
    },
    it: (name, body) => register([...scope, name].join(" > "), body),
    expect: nodeExpect,
  };
}
