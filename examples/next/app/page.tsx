import { sessionFromCookies } from "web-sessions/next";
import { type AppSession, sessionConfig } from "../session.ts";
import { signIn } from "./actions.ts";

// A Server Component reads the session; it cannot save it (Next.js sets no cookie while it renders).
export default async function Home() {
  const session = await sessionFromCookies<AppSession>(sessionConfig);
  return (
    <main>
      <p>Hello, {session.get("user") ?? "stranger"}.</p>
      <form action={signIn}>
        <input name="user" placeholder="your name" />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
