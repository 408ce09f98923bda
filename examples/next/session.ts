// The app's one session configuration, shared by the proxy, Route Handlers, Server Actions and
// Server Components.
import { CookieStore } from "web-sessions";
import type { SessionsConfig } from "web-sessions";

export interface AppSession {
  user: string;
  visits: number;
}

// Public on purpose, so the example runs with no setup; anything real must set SESSION_SECRET.
const DEVELOPMENT_SECRET = "development-only-secret-do-not-deploy-set-SESSION_SECRET";

export const sessionConfig: SessionsConfig = {
  store: new CookieStore({ secrets: process.env.SESSION_SECRET ?? DEVELOPMENT_SECRET }),
};
