// DenoKvStore under Node, on the in-memory database of @deno/kv (`openKv("")`); the same store
// runs under `deno test` on Deno.openKv(":memory:") (test/runtimes/deno/).
import { openKv } from "@deno/kv";
import { afterAll } from "vitest";
import { DenoKvStore } from "../../src/stores/deno-kv.ts";
import { describeStoreConformance } from "../conformance.ts";
import { SECRET } from "../support/browser.ts";

// @deno/kv 0.14's in-memory database schedules expiry with one setTimeout, which Node cuts to
// 1 ms past 2^31 - 1 ms (24.8 days): a week keeps it from spinning (and warning) on every write.
const WEEK = 7 * 24 * 3600;

// Stores made by one factory share the database, as instances of one app share Deno KV.
const kv = await openKv("");
afterAll(() => kv.close());

describeStoreConformance("DenoKvStore (@deno/kv)", {
  make: (secrets = [SECRET], options) => new DenoKvStore({ kv, secrets, cookie: { maxAge: WEEK }, ...options }),
  serverSide: true,
  sharedBackend: true,
});
