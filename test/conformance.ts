/**
 * The store conformance suite (web-sessions/testing) under vitest: test/stores/*.test.ts call
 * `describeStoreConformance`. `deno test` and `bun test` run the same cases (test/runtimes/).
 */
import { describe, expect, it } from "vitest";
import { storeConformance } from "../testing/index.ts";
import type { StoreUnderTest } from "../testing/index.ts";

export type { StoreUnderTest } from "../testing/index.ts";

export function describeStoreConformance(label: string, subject: StoreUnderTest): void {
  storeConformance({ describe, it, expect }, label, subject);
}
