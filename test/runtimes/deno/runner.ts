/**
 * The conformance suite's runner under `deno test`: `describe` only names the tests, each case is
 * one `Deno.test`, and `expect` is made of `node:assert/strict` (Deno has no `expect` of its own
 * without JSR's @std/expect).
 */
import type { ConformanceRunner } from "../../../testing/index.ts";
import { nodeExpect } from "../../support/assert.ts";

const scope: string[] = [];

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
  expect: nodeExpect,
};
