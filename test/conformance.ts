/**
 * The store conformance suite under vitest: test/stores/*.test.ts call `describeStoreConformance`.
 * The suite itself is in conformance-suite.ts, framework-free, so `deno test` and `bun test` run
 * the same cases (test/runtimes/).
 */
import { describe, it } from "vitest";
import { storeConformance } from "./conformance-suite.ts";
import type { StoreUnderTest } from "./conformance-suite.ts";

export { conformanceApp } from "./conformance-suite.ts";
export type { StoreUnderTest } from "./conformance-suite.ts";

export function describeStoreConformance(label: string, subject: StoreUnderTest): void {
  storeConformance({ describe, it }, label, subject);
}
