// One configuration for every place the app reaches its session: the proxy, the Route Handlers
// (Node.js and Edge), the Server Actions and the Server Components. A cookie store, so the Edge
// runtime (a sandbox of its own) reads what the Node.js runtime wrote. Chunked, so a large session
// takes several cookies.
import { CookieStore } from "web-sessions";
import type { SessionsConfig } from "web-sessions";

export interface AppSession {
  user: string;
  count: number;
  note: string;
}

export const sessionConfig: SessionsConfig = {
  store: new CookieStore({ secrets: process.env.SESSION_SECRET!, chunks: 3 }),
};
