// The same counter on the Edge runtime.
import { getSession, withSessions } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../../../session-config.ts";

export const runtime = "edge";

export const POST = withSessions(sessionConfig, async (request) => {
  const session = getSession<AppSession>(request);
  session.set("count", (session.get("count") ?? 0) + 1);
  await session.save();
  return Response.json({ count: session.get("count"), user: session.get("user") ?? null, runtime: "edge" });
});
