// Next.js 16 calls Middleware "proxy" (proxy.ts, `export const proxy`); before 16 it is
// middleware.ts with `export const middleware`. withSessions wraps either.
import { NextResponse } from "next/server";
import { getSession, withSessions } from "web-sessions/next";
import { type AppSession, sessionConfig } from "./session.ts";

export const proxy = withSessions(sessionConfig, (request) => {
  if (!getSession<AppSession>(request).get("user")) return NextResponse.redirect(new URL("/", request.url));
  // Returning nothing lets the request go on to its page.
});

export const config = { matcher: "/account/:path*" };
