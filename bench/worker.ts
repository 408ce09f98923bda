/**
 * The cookie-session rows inside workerd, driven and timed from Node (bench/workerd.ts). The
 * worker keeps one client per row between dispatches; each dispatch runs a batch of requests of
 * one row through `app.request()`, as under Node, Deno and Bun, and answers only when done:
 *
 * - `POST /setup?route=counter|read&warmup=N`: make the rows' clients, check their round trips, warm up.
 * - `POST /batch?row=I&n=N`: N requests of row I (N = 0: an empty dispatch, for its fixed cost).
 * - `POST /spin?iterations=N`: the busy loop alone; answers what the worker's own clock saw.
 * - `POST /stats`: the clients' cookie sizes and counts, for the tables.
 *
 * Timing stays outside the worker because workerd's clock cannot be trusted for pure computation:
 * on Cloudflare's edge it stands still until I/O, and under Miniflare it moves in whole milliseconds.
 */

import { checkRoundTrips } from "./harness.ts";
import type { Client, Route } from "./harness.ts";
import { BUSY_VARIANT, spin } from "./spin.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { VARIANTS } from "./variants.ts";
import type { Variant } from "./variants.ts";

/** The rows of a route inside workerd: the counter route gains the busy-loop row, run next to bare Hono. */
export function workerdVariants(route: Route): Variant[] {
  return route === "read" ? READ_VARIANTS : [VARIANTS[0]!, BUSY_VARIANT, ...VARIANTS.slice(1)];
}

let clients: Client[] = [];

async function handle(url: URL): Promise<Response> {
  const number = (name: string) => Number(url.searchParams.get(name));
  switch (url.pathname) {
    case "/setup": {
      const route = url.searchParams.get("route") as Route;
      clients = [];
      for (const v of workerdVariants(route)) clients.push(await checkRoundTrips(v.label, await v.make(), v.setsCookie, 20, route));
      for (const client of clients) for (let i = 0; i < number("warmup"); i++) await client.hit();
      return Response.json(clients.length);
    }
    case "/batch": {
      const n = number("n");
      const client = clients[number("row")];
      if (n > 0 && !client) return new Response("no such row", { status: 400 });
      for (let i = 0; i < n; i++) await client!.hit();
      return new Response(null, { status: 204 });
    }
    case "/spin": {
      const start = performance.now();
      spin(number("iterations"));
      return Response.json({ insideMs: performance.now() - start });
    }
    case "/stats":
      return Response.json(clients.map((c) => ({ setCookieBytes: c.setCookieBytes, readSetCookies: c.readSetCookies, count: c.count })));
    default:
      return new Response("not found", { status: 404 });
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    try {
      return await handle(new URL(request.url));
    } catch (error) {
      return new Response(String((error as Error).stack ?? error), { status: 500 });
    }
  },
};
