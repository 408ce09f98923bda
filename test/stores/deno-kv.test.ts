// DenoKvStore under Node, on the in-memory database of @deno/kv (`openKv("")`); the same cases
// run under `deno test` on Deno.openKv(":memory:") and under `bun test` (test/runtimes/).
import { openKv } from "@deno/kv";
import { afterAll, describe, it } from "vitest";
import { describeStoreConformance } from "../conformance.ts";
import { denoKvCases } from "../deno-kv-cases.ts";
import { subjects } from "../runtimes/subjects.ts";

const kv = await openKv("");
afterAll(() => kv.close());

for (const [label, subject] of Object.entries(subjects(undefined, undefined, { label: "@deno/kv", kv }))) {
  if (label.startsWith("DenoKvStore")) describeStoreConformance(label, subject);
}

describe("DenoKvStore (@deno/kv)", () => {
  denoKvCases(it, () => openKv(""));
});
