/**
 * The assertions of the conformance suite, made of the `expect` its runner hands it (vitest's,
 * `bun:test`'s, or an adapter of your own), so the suite imports no test framework and no `node:`
 * module, and runs wherever the store does: Node, Deno, Bun, workerd.
 *
 * @module
 */

/** The matchers the suite uses; vitest's and `bun:test`'s `expect` return them. */
export interface Matchers {
  toBe(expected: unknown): void;
  /** Deep equality, `undefined` properties and classes included. */
  toStrictEqual(expected: unknown): void;
  toMatch(expected: RegExp): void;
  readonly not: { toBe(expected: unknown): void };
}

/** `expect(actual, message?)`, as vitest and `bun:test` spell it. */
export type Expect = (actual: unknown, message?: string) => Matchers;

/** What an expected error must match: some of its properties, or a predicate. */
export type ErrorMatch = Record<string, unknown> | ((error: unknown) => boolean);

let expectation: Expect | undefined;

/** Makes `expect` the one the suite's assertions use (one test framework per process). */
export function useExpect(expect: Expect): void {
  expectation = expect;
}

function expect(actual: unknown, message?: string): Matchers {
  if (!expectation) throw new Error("the conformance suite runs through storeConformance(), which takes the runner's expect");
  return expectation(actual, message);
}

function checkError(error: unknown, expected: ErrorMatch | undefined, message: string): void {
  if (typeof expected === "function") expect(expected(error), message).toBe(true);
  else if (expected) assertIncludes(error, expected);
}

/** The suite's assertions, in the words of `node:assert/strict`, over the runner's `expect`. */
export const assert = {
  equal(actual: unknown, expected: unknown, message?: string): void {
    expect(actual, message).toBe(expected);
  },
  notEqual(actual: unknown, expected: unknown, message?: string): void {
    expect(actual, message).not.toBe(expected);
  },
  deepEqual(actual: unknown, expected: unknown, message?: string): void {
    expect(actual, message).toStrictEqual(expected);
  },
  match(actual: string, pattern: RegExp, message?: string): void {
    expect(actual, message).toMatch(pattern);
  },
  ok(value: unknown, message?: string): void {
    expect(Boolean(value), message ?? `expected a truthy value, got ${String(value)}`).toBe(true);
  },
  throws(run: () => unknown, expected?: ErrorMatch): void {
    let thrown = false;
    try {
      run();
    } catch (error) {
      thrown = true;
      checkError(error, expected, "the thrown error does not match");
    }
    expect(thrown, "expected the call to throw").toBe(true);
  },
  async rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: ErrorMatch): Promise<void> {
    let rejected = false;
    try {
      await (typeof promise === "function" ? promise() : promise);
    } catch (error) {
      rejected = true;
      checkError(error, expected, "the rejection does not match");
    }
    expect(rejected, "expected the promise to reject").toBe(true);
  },
};

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
