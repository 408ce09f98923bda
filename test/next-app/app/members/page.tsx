// Reached only through the proxy, which sends visitors without a user back to the home page.
import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../../session-config.ts";

export default async function Members() {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  return <p id="member">{session.get("user")}</p>;
}
