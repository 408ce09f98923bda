/**
 * Shared glue for the runnable examples: start a Node server only when the file is run directly,
 * so tests can import the same `app` and drive it with `app.request(...)` without opening a port.
 *
 * @module
 */

import { serve } from "@hono/node-server";
import type { Http2Bindings, HttpBindings, ServerType } from "@hono/node-server";
import { pathToFileURL } from "node:url";

/** Anything with a fetch-style handler, such as a Hono app. */
export interface Fetchable {
  fetch: (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;
}

/**
 * Serves `app` on `PORT` (or `defaultPort`) when the module whose `import.meta.url` is given is the
 * process entry (`tsx examples/incr.ts`); does nothing when it is merely imported.
 */
export function serveIfMain(app: Fetchable, importMetaUrl: string, defaultPort = 8000): ServerType | undefined {
  const entry = process.argv[1];
  if (!entry || importMetaUrl !== pathToFileURL(entry).href) return undefined;
  const port = Number(process.env.PORT ?? defaultPort);
  return serve({ fetch: app.fetch, port }, (info) => {
    console.log(`Listening on http://localhost:${info.port}`);
  });
}

// Public on purpose, so the examples run with no setup; anything real must set SESSION_SECRET.
const DEVELOPMENT_SECRET = "development-only-secret-do-not-deploy-set-SESSION_SECRET";

/**
 * The secret for the examples' stores: `SESSION_SECRET` if set (at least 32 characters, or the
 * store throws `ERR_SESSION_CONFIG`), else a clearly labelled development default.
 */
export function exampleSecret(): string {
  return process.env.SESSION_SECRET ?? DEVELOPMENT_SECRET;
}
