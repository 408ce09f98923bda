// web-sessions/testing: the suite passes a sound store and fails a store that breaks a promise,
// whatever runner hands it `describe`, `it` and `expect` (here, one that only collects the cases).
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/stores/memory.ts";
import { storeConformance } from "../testing/index.ts";
import type { StoreUnderTest } from "../testing/index.ts";
import { SECRET } from "./support/browser.ts";

/** Runs every case of the suite for `subject` in turn; resolves the names of those that failed. */
async function failures(subject: StoreUnderTest): Promise<string[]> {
  const cases: Array<[string, () => Promise<void>]> = [];
  storeConformance({ describe: (_name, body) => body(), test: (name, body) => void cases.push([name, body]), expect }, "subject", subject);
  const failed: string[] = [];
  for (const [name, body] of cases) await body().catch(() => failed.push(name));
  return failed;
}

/** A store that says it destroyed a session and kept it: what the suite is there to catch. */
class UndeletingStore extends MemoryStore {
  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

describe("web-sessions/testing", () => {
  it("passes a sound store through every case, with `test` in place of `it`", async () => {
    expect(await failures({ make: (secrets = [SECRET], options) => new MemoryStore({ secrets, ...options }), serverSide: true, sharedBackend: false })).toEqual([]);
  });

  it("fails a store whose destroy() keeps the session, in the cases that check it", async () => {
    const failed = await failures({ make: (secrets = [SECRET], options) => new UndeletingStore({ secrets, ...options }), serverSide: true, sharedBackend: false });
    expect(failed).toEqual(
      expect.arrayContaining([
        "destroys the session and its cookie without save()",
        "destroy() is final: a request that loaded the session earlier saves afterwards and revives nothing",
      ]),
    );
    expect(failed).not.toContain("gets and sets values across requests");
  });

  it("refuses a runner without it or test", () => {
    expect(() => storeConformance({ describe: (_name, body) => body(), expect }, "subject", { make: () => new MemoryStore({ secrets: SECRET }), serverSide: true, sharedBackend: false })).toThrow(/it or test/);
  });
});
