import { getSession, withSessions } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../../../session.ts";

// A Route Handler: add `export const runtime = "edge"` and it runs unchanged on the Edge runtime.
export const GET = withSessions(sessionConfig, async (request) => {
  const session = getSession<AppSession>(request);
  session.set("visits", (session.get("visits") ?? 0) + 1);
  await session.save();
  return Response.json({ user: session.get("user") ?? null, visits: session.get("visits") });
});
