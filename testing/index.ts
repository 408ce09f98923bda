/**
 * web-sessions/testing: the conformance suite every store of web-sessions passes, for anyone who
 * writes a store (D1, Postgres, DynamoDB) to prove theirs the same way. It takes the test
 * framework's `describe`, `it` (or `test`) and `expect`, and imports neither a framework nor a
 * `node:` module, so it runs under vitest, `bun test`, `deno test` and in workerd. It drives the
 * store through the Hono adapter, so `hono` must be installed.
 *
 * @example
 * ```ts
 * import { describe, expect, test } from "bun:test";
 * import { storeConformance } from "web-sessions/testing";
 * import { MyStore } from "./my-store.ts";
 *
 * storeConformance({ describe, test, expect }, "MyStore", {
 *   make: (secrets = ["a-secret-of-at-least-32-characters-0001"], options) => new MyStore({ secrets, ...options }),
 *   serverSide: true,
 *   sharedBackend: true,
 * });
 * ```
 *
 * @module
 */

export { storeConformance } from "./conformance-suite.ts";
export type { ConformanceRunner, StoreUnderTest, TestBody } from "./conformance-suite.ts";
export type { ListedStoreOptions } from "./conformance-listed.ts";
export type { ErrorMatch, Expect, Matchers } from "./assert.ts";
export { TestBrowser, setCookieFor } from "./browser.ts";
export type { Fetcher } from "./browser.ts";
