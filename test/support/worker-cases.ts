/**
 * Test cases declared inside a worker and run there, one request each, for vitest in Node to
 * report: the worker lists its case names at /cases and runs one at /run?case=name.
 */
import type { Miniflare } from "miniflare";
import { expect, it } from "vitest";
import { storeConformance } from "../../testing/index.ts";
import { nodeExpect } from "./assert.ts";

/** How many cases the conformance suite declares for a server store with a shared backend. */
export function serverStoreCaseCount(): number {
  let count = 0;
  const runner = { describe: (_name: string, body: () => void) => body(), it: () => void count++, expect: nodeExpect };
  storeConformance(runner, "counted", { make: () => undefined as never, serverSide: true, sharedBackend: true });
  return count;
}

/** The names of the cases the worker declares. */
export async function workerCases(mf: Miniflare): Promise<string[]> {
  return (await (await mf.dispatchFetch("http://localhost/cases")).json()) as string[];
}

/** One test per case name, each run inside the worker; it passes when the worker says it did. */
export function runWorkerCases(mf: Miniflare, cases: readonly string[]): void {
  for (const name of cases) {
    it(name, async () => {
      const response = await mf.dispatchFetch(`http://localhost/run?case=${encodeURIComponent(name)}`, { method: "POST" });
      const result = (await response.json()) as { ok: boolean; error?: string };
      expect(result.error ?? "").toBe("");
      expect(result.ok).toBe(true);
    }, 30_000);
  }
}
