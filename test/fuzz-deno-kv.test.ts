// The generated-input properties of test/fuzz.test.ts, against DenoKvStore on @deno/kv's SQLite
// database in a temporary folder (its in-memory one mis-schedules the default 30-day expiry).
import { openKv } from "@deno/kv";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { DenoKvStore } from "../src/stores/deno-kv.ts";
import { observed } from "./support/deno-kv.ts";
import { describeMiddlewareFuzz } from "./support/middleware-fuzz.ts";

const dir = mkdtempSync(join(tmpdir(), "web-sessions-fuzz-kv-"));
const kv = await openKv(join(dir, "kv.sqlite3"));
afterAll(() => {
  kv.close();
  rmSync(dir, { recursive: true, force: true });
});
const { kv: counted, counts } = observed(kv);

describeMiddlewareFuzz("DenoKvStore (@deno/kv, SQLite)", {
  make: (secrets) => new DenoKvStore({ kv: counted, secrets }),
  serverSide: true,
  roundTrips: () => counts.get + counts.getMany + counts.list + counts.commit,
  writes: 500,
  contents: 200,
});
