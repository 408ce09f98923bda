// A Route Handler held open at a gate between loading the account session and saving it.
import { getSession, withSessions } from "web-sessions/next";
import { waitAt } from "../../../gates.ts";
import { type AccountSession, accountConfig } from "../../../session-config.ts";

export const POST = withSessions(accountConfig, async (request) => {
  const url = new URL(request.url);
  const session = getSession<AccountSession>(request);
  await waitAt(url.searchParams.get("gate")!);
  session.set(url.searchParams.get("key") as "a" | "b", true);
  await session.save();
  return Response.json({ saved: true });
});

export const GET = withSessions(accountConfig, (request) => {
  const session = getSession<AccountSession>(request);
  return Response.json({ user: session.get("user") ?? null, a: session.get("a") ?? false, b: session.get("b") ?? false });
});
