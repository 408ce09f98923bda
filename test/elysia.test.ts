// web-sessions/elysia inside Elysia under the real Bun, through `bun test` (Elysia is built for Bun).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, binary, run, versionOf } from "./support/runtime.ts";

const FILE = "./test/runtimes/elysia/elysia_test.ts";
// Each test() of the file must pass: counted from the source, so a case that stops running fails here.
const CASES = (readFileSync(join(REPO, FILE), "utf8").match(/^test\(/gm) ?? []).length;
const ELYSIA = (JSON.parse(readFileSync(join(REPO, "node_modules", "elysia", "package.json"), "utf8")) as { version: string }).version;

describe(`Elysia ${ELYSIA} (${versionOf("bun")})`, () => {
  it("passes every case of test/runtimes/elysia under bun test", async () => {
    const { code, output } = await run(binary("bun"), ["test", FILE]);
    const passed = /^\s*(\d+) pass$/m.exec(output);
    const failed = /^\s*(\d+) fail$/m.exec(output);
    expect(passed && failed, output).not.toBeNull();
    expect(CASES).toBeGreaterThanOrEqual(11);
    expect({ code, passed: Number(passed![1]), failed: Number(failed![1]) }, output).toEqual({ code: 0, passed: CASES, failed: 0 });
  }, 120_000);
});
