/**
 * One row served alone for a profile (bench/profile.ts): runtime-neutral, so the same code runs
 * under Node, Deno, Bun and inside workerd. A row is a counter-route id ("ws-null") or one of the
 * read route ("read:ws-encrypted").
 */

import { newClient } from "./harness.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { VARIANTS } from "./variants.ts";

export interface Served {
  /** All requests, warm-up included (the profile covers them all). */
  requests: number;
  measured: number;
  rps: number;
}

export function findRow(row: string) {
  const read = row.startsWith("read:");
  const id = read ? row.slice("read:".length) : row;
  const variant = (read ? READ_VARIANTS : VARIANTS).find((v) => v.id === id);
  if (!variant) throw new Error(`no row "${row}"; rows: ${VARIANTS.map((v) => v.id).join(", ")}, and read:<id> for ${READ_VARIANTS.map((v) => v.id).join(", ")}`);
  return { variant, route: read ? ("read" as const) : ("counter" as const) };
}

/** Warms the row up with 3,000 requests, then serves it for `seconds`. */
export async function serveRow(row: string, seconds: number): Promise<Served> {
  const { variant, route } = findRow(row);
  const client = await newClient(variant.label, await variant.make(), variant.setsCookie, route);
  for (let i = 0; i < 3000; i++) await client.hit();
  const before = client.count;
  const rps = await client.timed(seconds * 1000);
  return { requests: client.count, measured: client.count - before, rps };
}
