// One configuration for every place the app reaches its session: the proxy, the Route Handlers
// (Node.js and Edge), the Server Actions and the Server Components. A cookie store, so the Edge
// runtime (a sandbox of its own) reads what the Node.js runtime wrote. Chunked, so a large session
// takes several cookies.
import { CookieStore, MemoryStore } from "web-sessions";
import type { SessionsConfig } from "web-sessions";

export interface AppSession {
  user: string;
  count: number;
  note: string;
}

export const sessionConfig: SessionsConfig = {
  store: new CookieStore({ secrets: process.env.SESSION_SECRET!, chunks: 3 }),
};

export interface AccountSession {
  user: string;
  a: boolean;
  b: boolean;
}

// A server store for the races (a request held open while another writes or signs out). Kept on
// globalThis: Next.js may load this module once per route bundle, and every bundle of the Node.js
// runtime must share the one store. (The Edge runtime does not reach it.)
const shared = globalThis as { accountStore?: MemoryStore };
shared.accountStore ??= new MemoryStore({ secrets: process.env.SESSION_SECRET! });

export const accountConfig: SessionsConfig = { name: "account", store: shared.accountStore };
