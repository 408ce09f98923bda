// The account session (server store): who is signed in, and the form that signs in or out.
import { sessionFromCookies } from "web-sessions/next";
import { type AccountSession, accountConfig } from "../../session-config.ts";
import { signInAccount, signOutAccount } from "../account-actions.ts";

export default async function Account() {
  const session = await sessionFromCookies<AccountSession>(accountConfig);
  const user = session.get("user");
  return (
    <main>
      <p id="account-user">{user ?? "nobody"}</p>
      {user ? (
        <form action={signOutAccount}>
          <button type="submit">Sign out</button>
        </form>
      ) : (
        <form action={signInAccount}>
          <input name="user" />
          <button type="submit">Sign in</button>
        </form>
      )}
    </main>
  );
}
