/**
 * The cookie-session tables measured inside workerd: this module Worker runs the same in-process
 * loop as under Node, Deno and Bun (`app.request()` on each row's Hono app, rows interleaved) when
 * asked with `POST /measure?route=counter|read&rounds=&ms=&warmup=`, and answers the rows as JSON.
 *
 * In the loop rather than one `dispatchFetch` per request: each dispatch from Node crosses a
 * loopback socket into workerd and back, which costs more than any row's work (milliseconds on this
 * machine), so every ratio would read close to 1. workerd's clock, frozen between I/O events on
 * Cloudflare's edge, runs in real time under Miniflare, which is what lets the loop time itself.
 */

import type { Route } from "./harness.ts";
import { measureRoute } from "./measure.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { VARIANTS } from "./variants.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/measure") return new Response("POST /measure", { status: 404 });
    const route = url.searchParams.get("route") as Route;
    const number = (name: string) => Number(url.searchParams.get(name));
    const options = { rounds: number("rounds"), ms: number("ms"), warmup: number("warmup") };
    try {
      const result = await measureRoute(route, route === "read" ? READ_VARIANTS : VARIANTS, options);
      return Response.json(result);
    } catch (error) {
      return new Response(String((error as Error).stack ?? error), { status: 500 });
    }
  },
};
