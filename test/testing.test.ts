// web-sessions/testing: the suite passes a sound store and fails a store that breaks a promise,
// whatever runner hands it `describe`, `it` and `expect` (here, ones that only collect the cases).
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/stores/memory.ts";
import { storeConformance } from "../testing/index.ts";
import type { StoreUnderTest, TestBody } from "../testing/index.ts";
import { nodeExpect } from "./support/assert.ts";
import { SECRET } from "./support/browser.ts";

type Declare = (collect: (name: string, body: TestBody) => void, subject: StoreUnderTest) => void;

/** The suite through vitest's expect, its cases declared with `test` in place of `it`. */
const withExpect: Declare = (test, subject) => storeConformance({ describe: (_name, body) => body(), test, expect }, "subject", subject);
/** The suite with the `expect` made of node:assert that the Deno runner (and any other without one) uses. */
const withNodeAssert: Declare = (it, subject) => storeConformance({ describe: (_name, body) => body(), it, expect: nodeExpect }, "subject", subject);

/** Runs every case of the suite for a store made by `make`, in turn; resolves the names of those that failed. */
async function failures(declare: Declare, make: StoreUnderTest["make"]): Promise<string[]> {
  const cases: Array<[string, TestBody]> = [];
  declare((name, body) => void cases.push([name, body]), { make, serverSide: true, sharedBackend: false });
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

const sound: StoreUnderTest["make"] = (secrets = [SECRET], options) => new MemoryStore({ secrets, ...options });
const undeleting: StoreUnderTest["make"] = (secrets = [SECRET], options) => new UndeletingStore({ secrets, ...options });

describe("web-sessions/testing", () => {
  for (const [how, declare] of [["the runner's expect", withExpect], ["node:assert", withNodeAssert]] as const) {
    it(`passes a sound store through every case, with ${how}`, async () => {
      expect(await failures(declare, sound)).toEqual([]);
    });

    it(`fails a store whose destroy() keeps the session, in the cases that check it, with ${how}`, async () => {
      const failed = await failures(declare, undeleting);
      expect(failed).toEqual(
        expect.arrayContaining([
          "destroys the session and its cookie without save()",
          "destroy() is final: a request that loaded the session earlier saves afterwards and revives nothing",
        ]),
      );
      expect(failed).not.toContain("gets and sets values across requests");
    });
  }

  it("refuses a runner without it or test", () => {
    expect(() => storeConformance({ describe: (_name, body) => body(), expect }, "subject", { make: sound, serverSide: true, sharedBackend: false })).toThrow(/it or test/);
  });
});
