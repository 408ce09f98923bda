/**
 * The session every benchmark row carries: the 10-field "profile" of
 * test/stores/cookie.test.ts ("keeps a 10-field profile session small"), so the Set-Cookie sizes
 * here and the ≤ 430-byte test measure the same thing.
 */

export interface Profile {
  userId: number;
  name: string;
  email: string;
  roles: string[];
  locale: string;
  theme: string;
  plan: string;
  verified: boolean;
  lastLogin: number;
  count: number;
}

/** What a login puts in the session; `count` starts at 0 and each request adds one. */
export const LOGIN: Readonly<Omit<Profile, "count">> = Object.freeze({
  userId: 1234567,
  name: "Ada Lovelace",
  email: "ada@example.com",
  roles: ["admin", "editor"],
  locale: "en-GB",
  theme: "dark",
  plan: "pro",
  verified: true,
  lastLogin: 1764115200000,
});

/** The nine profile keys besides the counter, in a fixed order. */
export const PROFILE_KEYS = Object.keys(LOGIN) as (keyof typeof LOGIN)[];

/** The extra data of the 9 KB rows: 6,400 characters that, sealed with the profile, make about 9 KB of cookie. */
export const NOTES_9K = Array.from({ length: 6400 }, (_, i) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(i * 7919 + (i >> 6)) % 62]).join("");

/** Secrets of at least 32 characters, as every library here asks. Not secret: benchmark only. */
export const SECRET = "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
export const OLD_SECRET = "bench-old-secret-0123456789-abcdefghijklmnopqrstuv";
/** @hono/session wants 32 bytes, hex-encoded. */
export const HEX_SECRET = "7b2f1c4a9e0d3f6b8a5c2e1d4f7a9b0c3e6d8f1a2b4c6e8f0a1c3e5b7d9f2a4c";

/** Throws unless `body` is the login profile with `count` = `expected`: a round trip that lost data fails loudly. */
export function assertProfile(label: string, body: unknown, expected: number): void {
  const got = body as Partial<Profile> | null;
  let bad = !got || got.count !== expected;
  for (const key of PROFILE_KEYS) {
    if (bad) break;
    const want = LOGIN[key];
    const have = got![key];
    bad = Array.isArray(want) ? !Array.isArray(have) || have.join("\0") !== want.join("\0") : have !== want;
  }
  if (bad) throw new Error(`${label}: round trip not intact: expected count ${expected}, got ${JSON.stringify(body)}`);
}
