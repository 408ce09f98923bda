// A Route Handler on the Node.js runtime: counts in the session.
import { getSession, withSessions } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../../../session-config.ts";

export const POST = withSessions(sessionConfig, async (request) => {
  const session = getSession<AppSession>(request);
  session.set("count", (session.get("count") ?? 0) + 1);
  await session.save();
  return Response.json({ count: session.get("count"), user: session.get("user") ?? null, runtime: "nodejs" });
});

export const GET = withSessions(sessionConfig, async (request) => {
  const session = getSession<AppSession & { lastMembersPage: string }>(request);
  return Response.json({
    count: session.get("count") ?? 0,
    user: session.get("user") ?? null,
    lastMembersPage: session.get("lastMembersPage") ?? null,
  });
});
