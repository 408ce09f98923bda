/**
 * The conformance suite's runner under `deno test`: `describe` only names the tests, each case is
 * one `Deno.test`, and `expect` is a few matchers over `node:assert/strict` (Deno has no `expect`
 * of its own without JSR's @std/expect, which this machine cannot fetch).
 */
import assert from "node:assert/strict";
import type { ConformanceRunner, Matchers } from "../../../testing/index.ts";

const scope: string[] = [];

function expect(actual: unknown, message?: string): Matchers {
  return {
    toBe: (expected) => assert.equal(actual, expected, message),
    toStrictEqual: (expected) => assert.deepEqual(actual, expected, message),
    toMatch: (expected) => assert.match(String(actual), expected, message),
    not: { toBe: (expected) => assert.notEqual(actual, expected, message) },
  };
}

export const denoRunner: ConformanceRunner = {
  describe(name, body) {
    scope.push(name);
    try {
      body();
    } finally {
      scope.pop();
    }
  },
  it(name, body) {
    Deno.test([...scope, name].join(" > "), body);
  },
  expect,
};
