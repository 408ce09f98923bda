// A Server Component: reads the session through cookies(); the forms post to Server Actions.
import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../session-config.ts";
import { signIn, signOut } from "./actions.ts";

export default async function Home() {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  const user = session.get("user");
  return (
    <main>
      <p id="user">{user ?? "stranger"}</p>
      <p id="count">{session.get("count") ?? 0}</p>
      <p id="note-length">{session.get("note")?.length ?? 0}</p>
      {user ? (
        <form action={signOut}>
          <button type="submit">Sign out</button>
        </form>
      ) : (
        <form action={signIn}>
          <input name="user" />
          <textarea name="note" />
          <button type="submit">Sign in</button>
        </form>
      )}
    </main>
  );
}
