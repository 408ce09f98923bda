/**
 * A known amount of pure computation, for checking a timing method: the "busy loop" row is bare
 * Hono plus `spin(SPIN_ITERATIONS)` in its handler, so it must read as bare Hono plus the time of the
 * loop alone measured the same way. On workerd, whose clock does not move during pure computation on
 * Cloudflare's edge (and moves in whole milliseconds under Miniflare), that shows the batches timed
 * from outside neither hide nor invent time.
 */

import { Hono } from "hono";
import { LOGIN } from "./fixture.ts";
import type { Variant } from "./variants.ts";

/** Iterations of the loop in the busy row: tens of µs, the size of the differences the targets judge. */
export const SPIN_ITERATIONS = 20_000;

let sink = 1;

/** xorshift steps: integer work the JIT cannot skip, since the result is kept. */
export function spin(iterations: number): number {
  let x = sink | 1;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  sink = x;
  return x;
}

function busyApp(): Hono {
  const app = new Hono();
  let count = 0;
  app.get("/", (c) => {
    spin(SPIN_ITERATIONS);
    return c.json({ ...LOGIN, count: ++count });
  });
  return app;
}

export const BUSY_ID = "busy-loop";
export const BUSY_VARIANT: Variant = {
  id: BUSY_ID,
  label: `bare Hono + a busy loop (${SPIN_ITERATIONS.toLocaleString("en-US")} xorshift steps; checks the timing)`,
  kind: "baseline",
  setsCookie: false,
  make: busyApp,
};
