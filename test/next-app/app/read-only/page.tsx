// A Server Component that tries to save: Next.js sets no cookie while it renders, so save() must
// reject with ERR_SESSION_READ_ONLY rather than lose the write without a word.
import { SessionError } from "web-sessions";
import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../../session-config.ts";

export default async function ReadOnly() {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  session.set("count", (session.get("count") ?? 0) + 100);
  let outcome = "saved";
  try {
    await session.save();
  } catch (error) {
    outcome = error instanceof SessionError ? `${error.code}: ${error.message}` : `other: ${String(error)}`;
  }
  return <p id="outcome">{outcome}</p>;
}
