/**
 * The child of `RUNTIME=workerd npm run bench:profile -- <row>`, inside workerd: warms one row up,
 * serves its requests for the given seconds while bench/profile.ts records a CPU profile through
 * Miniflare's inspector, and answers how many requests that was.
 */

import { serveRow } from "./profile-row.ts";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      return Response.json(await serveRow(url.searchParams.get("row")!, Number(url.searchParams.get("seconds"))));
    } catch (error) {
      return new Response(String((error as Error).stack ?? error), { status: 500 });
    }
  },
};
