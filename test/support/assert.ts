/**
 * Assertions that run the same under vitest, `deno test` and `bun test`: `node:assert/strict`,
 * plus the one matcher it lacks (a partial deep match, like vitest's `toMatchObject`).
 */
import assert from "node:assert/strict";

export { assert };

/** Asserts that `actual` has every property of `expected`, deeply equal; other properties are ignored. */
export function assertIncludes(actual: unknown, expected: Record<string, unknown>): void {
  assert.ok(actual !== null && typeof actual === "object", `expected an object, got ${JSON.stringify(actual)}`);
  const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, (actual as Record<string, unknown>)[key]]));
  assert.deepEqual(picked, expected);
}

/**
 * Moves `Date.now()` forward by hand (what the code under test reads for expiry), without a test
 * framework's fake timers. `restore()` puts the real clock back.
 */
export function manualClock(): { advance(ms: number): void; restore(): void } {
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow.call(Date) + offset;
  return {
    advance(ms: number) {
      offset += ms;
    },
    restore() {
      Date.now = realNow;
    },
  };
}
