/**
 * The conformance suite at its former place, for runners that hand it only `describe` and `it`
 * (a Worker's test harness inside workerd, say): it asserts with `node:assert/strict`. The suite
 * itself is web-sessions/testing (testing/), which new code imports.
 */
import { storeConformance as declareConformance } from "../testing/index.ts";
import type { StoreUnderTest, TestBody } from "../testing/index.ts";
import { nodeExpect } from "./support/assert.ts";

export type { StoreUnderTest } from "../testing/index.ts";

/** `describe` and `it` of a test framework, or thin wrappers of them. */
export interface SuiteRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: TestBody): void;
}

/** Declares the suite for one store, with `node:assert/strict` for its assertions. */
export function storeConformance({ describe, it }: SuiteRunner, label: string, subject: StoreUnderTest): void {
  declareConformance({ describe, it, expect: nodeExpect }, label, subject);
}
