// Next.js 16's Middleware ("proxy"): turns away visitors without a user, and stamps the session of
// those it lets through with the last members page they asked for.
import { NextResponse } from "next/server";
import { getSession, withSessions } from "web-sessions/next";
import { type AppSession, sessionConfig } from "./session-config.ts";

export const proxy = withSessions(sessionConfig, async (request) => {
  const session = getSession<AppSession & { lastMembersPage: string }>(request);
  if (!session.get("user")) return NextResponse.redirect(new URL("/?from=members", request.url));
  session.set("lastMembersPage", request.nextUrl.pathname);
  await session.save();
});

export const config = { matcher: "/members/:path*" };
