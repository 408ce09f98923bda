// DenoKvStore under Node, on the in-memory database of @deno/kv (`openKv("")`); the same cases
// run under `deno test` on Deno.openKv(":memory:") and under `bun test` (test/runtimes/).
import { openKv } from "@deno/kv";
import { afterAll, describe, it } from "vitest";
import { describeStoreConformance } from "../conformance.ts";
import { denoKvCases } from "../deno-kv-cases.ts";
import { denoKvSubject } from "../runtimes/subjects.ts";

const kv = await openKv("");
afterAll(() => kv.close());

describeStoreConformance("DenoKvStore (@deno/kv)", denoKvSubject(kv));

describe("DenoKvStore (@deno/kv)", () => {
  denoKvCases(it, () => openKv(""));
});
