/**
 * One route's table on one runtime: check every row round-trips, warm up, run interleaved rounds,
 * and turn them into rows with ratios taken round by round. Runtime-neutral (no `node:` imports):
 * the same code measures under Node, Deno and Bun, and drives workerd from Node.
 */

import { checkRoundTrips, interleave, median, pairedRatio } from "./harness.ts";
import type { App, Client, Route } from "./harness.ts";
import type { Row } from "./report.ts";
import { BARE_ID, FLOOR_ID } from "./variants.ts";
import type { Variant } from "./variants.ts";

/** The rows of one route on one runtime. */
export interface RouteResult {
  route: Route;
  rows: Row[];
  /** The peer with the highest median requests/s, if any peer ran. */
  fastestPeer: string | undefined;
}

/** Both routes' tables on one runtime. */
export interface RuntimeResult {
  runtime: string;
  /** How the requests were made, e.g. "in process, app.request()". */
  method: string;
  /** More about how this runtime was measured (workerd: its sanity check), one paragraph each. */
  notes?: string[];
  counter: RouteResult;
  read: RouteResult;
}

export interface MeasureOptions {
  rounds: number;
  ms: number;
  /** Requests per row before timing starts. */
  warmup: number;
  /** How a row's app is reached; by default the variant's own Hono app, in process. */
  appFor?: (variant: Variant) => Promise<App> | App;
  log?: (line: string) => void;
}

export async function measureRoute(route: Route, variants: readonly Variant[], options: MeasureOptions): Promise<RouteResult> {
  const { rounds, ms, warmup, appFor = (v: Variant) => v.make(), log } = options;
  const clients: Client[] = [];
  for (const v of variants) clients.push(await checkRoundTrips(v.label, await appFor(v), v.setsCookie, 20, route));
  for (const client of clients) for (let i = 0; i < warmup; i++) await client.hit();
  log?.(`  ${route} route: ${clients.length} rows round-trip intact; measuring (about ${Math.round((clients.length * rounds * ms) / 1000)} s)`);
  const rps = await interleave(clients, rounds, ms);
  return routeResult(route, variants, rps, clients);
}

/** What a row's client saw, for the table's cookie columns. */
export type ClientStats = Pick<Client, "setCookieBytes" | "readSetCookies" | "count">;

/**
 * Rows from requests/s per variant per round (rounds aligned: round k of every row ran in the same
 * pass), with ratios taken round by round against bare Hono, the floor app and the fastest peer.
 */
export function routeResult(route: Route, variants: readonly Variant[], rps: readonly number[][], clients: readonly ClientStats[]): RouteResult {
  const index = (id: string) => variants.findIndex((v) => v.id === id);
  const bare = rps[index(BARE_ID)]!;
  const floor = rps[index(FLOOR_ID)];
  const peers = variants.map((v, i) => (v.kind === "peer" ? i : -1)).filter((i) => i >= 0);
  // Per round: the fastest peer of that same round.
  const fastestPeerRps = peers.length ? bare.map((_, round) => Math.max(...peers.map((i) => rps[i]![round]!))) : undefined;
  const fastest = peers.length ? peers.reduce((a, b) => (median(rps[a]!) > median(rps[b]!) ? a : b)) : undefined;
  const rows: Row[] = variants.map((v, i) => ({
    id: v.id,
    label: v.label,
    kind: v.kind,
    rps: median(rps[i]!),
    roundRps: [...rps[i]!],
    vsBare: pairedRatio(rps[i]!, bare),
    vsFloor: floor ? pairedRatio(rps[i]!, floor) : Number.NaN,
    vsFastestPeer: fastestPeerRps ? pairedRatio(rps[i]!, fastestPeerRps) : Number.NaN,
    setCookieBytes: v.setsCookie && route === "counter" ? clients[i]!.setCookieBytes : undefined,
    setCookiesPerRead: route === "read" && v.setsCookie ? clients[i]!.readSetCookies / clients[i]!.count : undefined,
  }));
  return { route, rows, fastestPeer: fastest === undefined ? undefined : variants[fastest]!.label };
}
