/**
 * A module Worker for the workerd test of the cookie store's formats through web-sessions/workers:
 * `/chunked/...` keeps its session in up to four chunks, `/jwt/...` as a JWT. POST `/x/grow?by=N`
 * adds N characters to the session, GET `/x` answers its size.
 */
import { CookieStore } from "../../../src/index.ts";
import "../../../src/jwt/index.ts";
import { getSession, withSessions } from "../../../adapters/workers.ts";
import type { WorkersExecutionContext } from "../../../adapters/workers.ts";

interface Env {
  SESSION_SECRET: string;
}

async function handle(request: Request): Promise<Response> {
  const session = getSession<{ blob: string }>(request);
  const url = new URL(request.url);
  if (request.method === "POST") {
    session.set("blob", (session.get("blob") ?? "") + "x".repeat(Number(url.searchParams.get("by"))));
    await session.save();
  }
  return Response.json({ isNew: session.isNew, size: session.get("blob")?.length ?? 0 });
}

const chunked = withSessions((env: Env) => ({ store: new CookieStore({ secrets: env.SESSION_SECRET, chunks: 4, maxHeaderBytes: 16_384 }) }), handle);
const jwt = withSessions((env: Env) => ({ store: new CookieStore({ secrets: env.SESSION_SECRET, format: "jwt" }) }), handle);

export default {
  fetch(request: Request, env: Env, ctx: WorkersExecutionContext): Promise<Response> {
    return (new URL(request.url).pathname.startsWith("/jwt") ? jwt : chunked)(request, env, ctx);
  },
};
