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
import { applyPlan, decodeEntry, decodeIndexEntry, encodeEntry, encodeIndexEntry, toStoredSession } from "../../src/server-store/deno-kv/entry.ts";
import type { Entry } from "../../src/server-store/deno-kv/entry.ts";
import { RecentEntries } from "../../src/server-store/deno-kv/recent-entries.ts";
import type { WritePlan } from "../../src/server-store/write-plan.ts";

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

describe("RecentEntries (the versionstamps a save checks first)", () => {
  const stamp = (i: number) => `v${i}`;
  const remembered = (recent: RecentEntries, ids: string[]) => ids.filter((id) => recent.get(id) !== undefined);

  it("remembers an entry with its versionstamp, and forgets it on delete or when what is stored is not one of its entries", () => {
    const recent = new RecentEntries();
    const bytes = new Uint8Array([1, 2, 3]);
    recent.set("a", bytes, "v1");
    expect(recent.get("a")).toEqual({ value: bytes, versionstamp: "v1" });
    recent.delete("a");
    expect(recent.get("a")).toBeUndefined();
    recent.set("a", bytes, "v1");
    recent.set("a", null, null);
    recent.set("b", "not bytes", "v2");
    recent.set("c", bytes, null);
    expect(remembered(recent, ["a", "b", "c"])).toEqual([]);
    // What was forgotten leaves its bytes behind: 2 MiB of entries still fit afterwards.
    const mib = new Uint8Array(2 ** 20);
    recent.set("d", mib, "v3");
    recent.set("e", mib, "v4");
    expect(remembered(recent, ["d", "e"])).toEqual(["d", "e"]);
  });

  it("keeps 1000 entries and forgets the least recently set one past that", () => {
    const recent = new RecentEntries();
    const ids = Array.from({ length: 1001 }, (_, i) => `s${i}`);
    for (const [i, id] of ids.slice(0, 1000).entries()) recent.set(id, new Uint8Array(1), stamp(i));
    expect(remembered(recent, ids)).toHaveLength(1000);
    recent.set("s0", new Uint8Array(1), "again");
    recent.set(ids[1000]!, new Uint8Array(1), stamp(1000));
    expect(remembered(recent, ids)).toEqual(ids.filter((id) => id !== "s1"));
  });

  it("keeps 2 MiB of entries and forgets the least recently set ones past that, also after deletes", () => {
    const recent = new RecentEntries();
    const half = new Uint8Array(2 ** 19);
    for (const id of ["a", "b", "c", "d"]) recent.set(id, half, id);
    expect(remembered(recent, ["a", "b", "c", "d"])).toEqual(["a", "b", "c", "d"]);
    recent.set("e", new Uint8Array(1), "e");
    expect(remembered(recent, ["a", "b", "c", "d", "e"])).toEqual(["b", "c", "d", "e"]);
    recent.delete("b");
    recent.delete("c");
    recent.set("f", half, "f");
    recent.set("g", new Uint8Array(2 ** 20 - 1), "g");
    expect(remembered(recent, ["d", "e", "f", "g"])).toEqual(["d", "e", "f", "g"]);
    recent.set("h", new Uint8Array(2 ** 20 + 1), "h");
    expect(remembered(recent, ["d", "e", "f", "g", "h"])).toEqual(["g", "h"]);
  });
});

describe("DenoKvStore entries (entry.ts)", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const entry: Entry = { createdAt: 1, expiresAt: 2, lastSeenAt: 1, owner: "ada", values: [["k", "v"]], flashes: [["f", "id1", "x"]] };
  const plan = (changes: Partial<WritePlan>): WritePlan => ({
    id: "s", previousId: undefined, mustExist: false, whole: false, set: [], deleted: [], added: [], taken: [], owner: undefined, createdAt: 1, expiresAt: 2, lastSeenAt: 1, ...changes,
  });

  it("decodes what it encodes, and nothing else: not bytes, not UTF-8, not JSON, or a document missing a field", () => {
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
    expect(decodeEntry(encodeEntry({ ...entry, owner: undefined }))).toEqual({ ...entry, owner: undefined });
    const document = { c: 1, e: 2, o: null, v: [], f: [] };
    const foreign: unknown[] = [
      utf8(JSON.stringify(document)).buffer,
      new DataView(utf8(JSON.stringify(document)).buffer),
      JSON.stringify(document),
      null,
      new Uint8Array([0xff, 0xfe]),
      // Valid JSON around one byte that is not UTF-8: refused, not read with U+FFFD in its place.
      new Uint8Array([...utf8('{"c":1,"e":2,"o":"'), 0xff, ...utf8('","v":[],"f":[]}')]),
      utf8("{not json"),
      utf8("null"),
      utf8("[]"),
      ...(["c", "e", "v", "f"] as const).map((field) => utf8(JSON.stringify({ ...document, [field]: undefined }))),
      utf8(JSON.stringify({ ...document, c: "1" })),
      utf8(JSON.stringify({ ...document, e: "2" })),
      utf8(JSON.stringify({ ...document, v: {} })),
      utf8(JSON.stringify({ ...document, f: {} })),
    ];
    expect(foreign.map((value) => decodeEntry(value))).toEqual(foreign.map(() => undefined));
  });

  it("reads the last-seen time only as a number: an entry from before it was kept, or with another type, has none", () => {
    const document = { c: 1, e: 2, o: null, v: [], f: [] };
    expect(decodeEntry(utf8(JSON.stringify({ ...document, s: 5 })))?.lastSeenAt).toBe(5);
    expect(decodeEntry(utf8(JSON.stringify(document)))?.lastSeenAt).toBeUndefined();
    expect(decodeEntry(utf8(JSON.stringify({ ...document, s: "5" })))?.lastSeenAt).toBeUndefined();
  });

  it("decodes an owner-index entry it encoded, and nothing else", () => {
    expect(decodeIndexEntry(encodeIndexEntry(entry))).toEqual({ createdAt: 1, expiresAt: 2 });
    const foreign: unknown[] = [
      utf8("[1,2]").buffer,
      "[1,2]",
      new Uint8Array([0xff]),
      utf8("[1,"),
      utf8('{"0":1,"1":2}'),
      utf8('["1",2]'),
      utf8('[1,"2"]'),
      utf8("[1]"),
    ];
    expect(foreign.map((value) => decodeIndexEntry(value))).toEqual(foreign.map(() => undefined));
  });

  it("hands a key's flashes over as one array that replaces a plain value of the key, with their ids in order", () => {
    const stored = toStoredSession("s", { ...entry, values: [["k", ["plain"]], ["n", 1]], flashes: [["k", "a", 1], ["k", "b", 2], ["m", "c", 3]] });
    expect(stored.data).toEqual(new Map<string, unknown>([["k", [1, 2]], ["n", 1], ["m", [3]]]));
    expect(stored.flashIds).toEqual(new Map([["k", ["a", "b"]], ["m", ["c"]]]));
  });

  it("applies a plan's flashes in the order of their ids, whatever order they were stored and added in", () => {
    const stored: Entry = { ...entry, flashes: [["k", "3", "c"], ["k", "1", "a"], ["m", "2", "m2"], ["k", "5", "e"]] };
    const next = applyPlan(stored, plan({ added: [["k", "4", '"d"'], ["m", "0", '"m0"']], taken: [["k", "5"]] }));
    expect(next.flashes).toEqual([["m", "0", "m0"], ["k", "1", "a"], ["m", "2", "m2"], ["k", "3", "c"], ["k", "4", "d"]]);
    // Two keys' flashes with one id (ids are unique in practice) keep the order they came in.
    const tie = applyPlan({ ...entry, flashes: [["a", "1", "x"], ["b", "1", "y"]] }, plan({ added: [["c", "1", '"z"']] }));
    expect(tie.flashes).toEqual([["a", "1", "x"], ["b", "1", "y"], ["c", "1", "z"]]);
  });
});
