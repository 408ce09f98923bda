// DenoKvStore's own cases (test/deno-kv-cases.ts) under `bun test`, on @deno/kv's in-memory database.
import { openKv } from "@deno/kv";
import { describe, it } from "bun:test";
import { denoKvCases } from "../../deno-kv-cases.ts";

describe("DenoKvStore (@deno/kv)", () => {
  denoKvCases(it, () => openKv(""));
});
