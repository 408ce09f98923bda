/**
 * The performance targets of issue 25, per runtime, from one run's rows: web-sessions' own
 * machinery (the null-store row minus bare Hono, in µs per request), the read-only route (a cache
 * hit) against bare Hono, and the counter route against the floor app. Each is taken round by
 * round, so a round slowed by other work on the machine slows both sides of its difference or
 * ratio; the median is the value and the interquartile range of the rounds its spread.
 *
 * Bare Hono's requests carry the same Cookie header as the session rows' (bench/browser-cookie.ts),
 * so the machinery is what the middleware does with it, not the cost of a request that carries it.
 * Beside the targets, for comparison and with no goal: the hand-written minimal session middleware
 * minus bare Hono, the least any session middleware adds.
 */

import { spread } from "./harness.ts";
import type { Spread } from "./harness.ts";
import type { RuntimeResult } from "./measure.ts";
import type { Row } from "./report.ts";

/** The goals: µs of machinery (more on workerd, whose isolate boundary costs more), and two ratios. */
export const GOALS = {
  machineryUs: (runtime: string): number => (runtime.startsWith("workerd") ? 5 : 2),
  readVsBare: 0.85,
  counterVsFloor: 1,
} as const;

export interface RuntimeTarget {
  runtime: string;
  what: "machinery" | "read" | "counter";
  /** What is measured, in words. */
  label: string;
  /** Over the rounds; undefined when a row it needs did not run. */
  value: Spread | undefined;
  unit: "µs" | "×";
  /** The goal: at most this (µs) or at least this (×). */
  goal: number;
  met: boolean;
}

const find = (rows: readonly Row[], id: string) => rows.find((row) => row.id === id)?.roundRps;

/** Per round: µs per request of `row` minus that of `base`. */
export function roundDifferencesUs(row: readonly number[], base: readonly number[]): number[] {
  return row.map((rps, i) => 1e6 / rps - 1e6 / base[i]!);
}

/** Per round: requests/s of `row` over that of `base`. */
export function roundRatios(row: readonly number[], base: readonly number[]): number[] {
  return row.map((rps, i) => rps / base[i]!);
}

function difference(rows: readonly Row[], id: string, baseId: string): Spread | undefined {
  const row = find(rows, id);
  const base = find(rows, baseId);
  return row && base ? spread(roundDifferencesUs(row, base)) : undefined;
}

/** The null-store row minus bare Hono, counter route, µs per request per round. */
export function machinery(rows: readonly Row[]): Spread | undefined {
  return difference(rows, "ws-null", "bare");
}

/** The minimal session middleware row minus bare Hono, counter route, µs per request per round. */
export function minimalMiddleware(rows: readonly Row[]): Spread | undefined {
  return difference(rows, "minimal-middleware", "bare");
}

/** A value shown beside the targets for comparison, with no goal. */
export interface RuntimeComparison {
  runtime: string;
  label: string;
  value: Spread | undefined;
  unit: "µs";
}

/** The comparisons on one runtime: the least any session middleware adds, next to the machinery. */
export function runtimeComparisons(r: RuntimeResult): RuntimeComparison[] {
  return [{ runtime: r.runtime, label: "minimal session middleware − bare Hono, counter route (for comparison)", value: minimalMiddleware(r.counter.rows), unit: "µs" }];
}

function ratio(rows: readonly Row[], id: string, baseId: string): Spread | undefined {
  const row = find(rows, id);
  const base = find(rows, baseId);
  return row && base ? spread(roundRatios(row, base)) : undefined;
}

/** The three targets on one runtime. */
export function runtimeTargets(r: RuntimeResult): RuntimeTarget[] {
  const machineryGoal = GOALS.machineryUs(r.runtime);
  const m = machinery(r.counter.rows);
  const read = ratio(r.read.rows, "ws-encrypted", "bare");
  const counter = ratio(r.counter.rows, "ws-encrypted", "floor-aes");
  return [
    {
      runtime: r.runtime,
      what: "machinery",
      label: "web-sessions' machinery: null-store row − bare Hono, counter route",
      value: m,
      unit: "µs",
      goal: machineryGoal,
      met: m !== undefined && m.median <= machineryGoal,
    },
    {
      runtime: r.runtime,
      what: "read",
      label: "read-only route (a cache hit): encrypted CookieStore × bare Hono",
      value: read,
      unit: "×",
      goal: GOALS.readVsBare,
      met: read !== undefined && read.median >= GOALS.readVsBare,
    },
    {
      runtime: r.runtime,
      what: "counter",
      label: "counter route: encrypted CookieStore × the floor app (bare Hono + one AES-GCM round trip)",
      value: counter,
      unit: "×",
      goal: GOALS.counterVsFloor,
      met: counter !== undefined && counter.median >= GOALS.counterVsFloor,
    },
  ];
}

/** The guard's verdict: the median machinery fails only when it exceeds the goal by more than the run's own spread. */
export function guardVerdict(value: Spread, goal: number): { pass: boolean; limit: number } {
  const limit = goal + value.iqr;
  return { pass: value.median <= limit, limit };
}
