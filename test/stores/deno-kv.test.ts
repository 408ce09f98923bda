// DenoKvStore under Node through @deno/kv: on its in-memory database (`openKv("")`) and on its
// SQLite one (`openKv(path)`, what a Node server uses locally). The same cases run under
// `deno test` on Deno.openKv(":memory:") and under `bun test` (test/runtimes/).
import { openKv } from "@deno/kv";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { measureDenoKvStore } from "../../bench/deno-kv-store.ts";
import { describeStoreConformance } from "../conformance.ts";
import { denoKvCases } from "../deno-kv-cases.ts";
import { denoKvSubject } from "../runtimes/subjects.ts";

const dir = mkdtempSync(join(tmpdir(), "web-sessions-kv-"));
const memory = await openKv("");
const sqlite = await openKv(join(dir, "kv.sqlite3"));
afterAll(() => {
  memory.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

describeStoreConformance("DenoKvStore (@deno/kv, in memory)", denoKvSubject(memory));
describeStoreConformance("DenoKvStore (@deno/kv, SQLite)", denoKvSubject(sqlite));

describe("DenoKvStore (@deno/kv, in memory)", () => {
  denoKvCases(it, () => openKv(""));
});

describe("DenoKvStore (@deno/kv, SQLite)", () => {
  denoKvCases(it, () => openKv(join(dir, `${crypto.randomUUID()}.sqlite3`)));
});

it("bench/deno-kv-store.ts counts 2 KV operations per request that loads and saves (a get, a commit)", async () => {
  const result = await measureDenoKvStore(20);
  expect({ operations: result.operations, requests: result.requests }).toEqual({ operations: 2, requests: 20 });
});
