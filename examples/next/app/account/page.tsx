import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../../session.ts";
import { signOut } from "../actions.ts";

// Only signed-in visitors get here: the proxy (proxy.ts) turns the others away.
export default async function Account() {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  return (
    <main>
      <p>Signed in as {session.get("user")}.</p>
      <p>
        <a href="/api/visits">Count a visit</a> (a Route Handler)
      </p>
      <form action={signOut}>
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
