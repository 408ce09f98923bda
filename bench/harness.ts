/**
 * The measuring loop, in process through `app.request()` (no sockets, no HTTP parsing), so what
 * differs between rows is the session work alone.
 *
 * A small hand-written loop rather than mitata: each request depends on the cookie of the one
 * before, and rows must be interleaved (every round runs every row for the same slice of time) so
 * that noise from other work on a shared machine lands on all rows alike; ratios are then taken
 * round by round. mitata measures one function to completion before the next, and reports per
 * call, not per round.
 */

import { sessionCookieHeader } from "./browser-cookie.ts";
import { assertProfile } from "./fixture.ts";

/** What a row answers through: the part of a Hono app the client uses. */
export interface App {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * Which route a client drives. `counter`: GET / reads the profile, adds one to the counter and
 * saves. `read`: POST /login once, then GET / reads the profile and saves nothing.
 */
export type Route = "counter" | "read";

/**
 * One benchmark row's app with the cookie a browser would hold for it. Checks every response, and
 * reads its Set-Cookie lines whether or not the row sets any. A row that sets no cookie is sent a
 * fixed one (`sentAnyway`), as a signed-in browser sends its cookie to every page.
 */
export class Client {
  cookie = "";
  count = 0;
  setCookie = "";
  setCookieLines = 0;
  /** Set-Cookie lines received on reads (read route): a library that re-sends its cookie pays for it. */
  readSetCookies = 0;
  // The cookies held, by name: a chunked session is several.
  readonly #jar = new Map<string, string>();

  constructor(
    readonly label: string,
    readonly app: App,
    readonly setsCookie = true,
    readonly route: Route = "counter",
    /** For a row that sets no cookie: the Cookie header sent with every request all the same. */
    readonly sentAnyway = "",
  ) {
    this.cookie = sentAnyway;
  }

  /** Forgets the cookie: the next request starts a new session (logs in again). */
  reset(): void {
    this.cookie = this.sentAnyway;
    this.count = 0;
    this.#jar.clear();
  }

  /** One request: send the cookie, check the answer is the profile with the counter one higher, keep the new cookie. */
  async hit(): Promise<void> {
    if (this.route === "read") return this.#read();
    const res = await this.app.request("/", this.cookie ? { headers: { Cookie: this.cookie } } : undefined);
    if (res.status !== 200) throw new Error(`${this.label}: status ${res.status}: ${await res.text()}`);
    assertProfile(this.label, await res.json(), ++this.count);
    if (this.setsCookie) return this.#keep(res);
    // Read as the session rows read theirs: the same header lookup, and there must be none.
    if (res.headers.getSetCookie().length > 0) throw new Error(`${this.label}: a Set-Cookie from a row that sets none`);
  }

  /** Read route: log in once (the profile with count 1), then each request reads it back unchanged. */
  async #read(): Promise<void> {
    if (this.setsCookie && !this.cookie) {
      const login = await this.app.request("/login", { method: "POST" });
      if (login.status !== 200) throw new Error(`${this.label}: login status ${login.status}: ${await login.text()}`);
      await login.body?.cancel();
      this.#keep(login);
    }
    const res = await this.app.request("/", this.cookie ? { headers: { Cookie: this.cookie } } : undefined);
    if (res.status !== 200) throw new Error(`${this.label}: status ${res.status}: ${await res.text()}`);
    assertProfile(this.label, await res.json(), 1);
    this.count++;
    // A library that sends its cookie again on a read is followed as a browser would follow it.
    const lines = res.headers.getSetCookie();
    if (lines.length > 0) {
      if (!this.setsCookie) throw new Error(`${this.label}: a Set-Cookie from a row that sets none`);
      this.readSetCookies += lines.length;
      this.#keep(res);
    }
  }

  #keep(res: Response): void {
    const lines = res.headers.getSetCookie();
    // A browser applies them in order, so the last one of a name wins (hono-sessions sends two on login).
    if (lines.length === 0) throw new Error(`${this.label}: no Set-Cookie in answer ${this.count}`);
    this.setCookie = lines[lines.length - 1]!;
    this.setCookieLines = lines.length;
    if (lines.length === 1 && this.#jar.size <= 1) {
      // The usual case, kept to the few string operations it took before chunks.
      const end = this.setCookie.indexOf(";");
      this.cookie = end < 0 ? this.setCookie : this.setCookie.slice(0, end);
      return;
    }
    this.#bytes = 0;
    for (const line of lines) {
      this.#bytes += new TextEncoder().encode(line).length;
      const end = line.indexOf(";");
      const pair = end < 0 ? line : line.slice(0, end);
      const eq = pair.indexOf("=");
      if (eq === pair.length - 1) this.#jar.delete(pair.slice(0, eq));
      else this.#jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    this.cookie = [...this.#jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  #bytes = 0;

  /** Requests for about `ms` milliseconds, in batches of 25 between clock reads; returns requests/s. */
  async timed(ms: number): Promise<number> {
    let requests = 0;
    const start = performance.now();
    let elapsed: number;
    do {
      for (let i = 0; i < 25; i++) await this.hit();
      requests += 25;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return (requests * 1000) / elapsed;
  }

  /** Bytes of the last response's Set-Cookie header values (name, value and attributes), all its lines. */
  get setCookieBytes(): number {
    return this.setCookieLines > 1 ? this.#bytes : new TextEncoder().encode(this.setCookie).length;
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A value over rounds: its median, quartiles (interpolated) and extremes. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** The interquartile range, q3 − q1: how far rounds of one run disagree. */
  iqr: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    if (sorted.length === 0) return Number.NaN;
    const x = p * (sorted.length - 1);
    const lo = Math.floor(x);
    return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (x - lo);
  };
  const q1 = at(0.25);
  const q3 = at(0.75);
  return { median: median(sorted), q1, q3, min: at(0), max: at(1), iqr: q3 - q1 };
}

/** The median over rounds of `a[i] / b[i]`: a ratio of two rows measured in the same rounds. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}

/**
 * Untimed requests of a row before each of its timed slices, as a share of the slice. A rotation
 * moves each row through the round but keeps the row before it (the last row of the list goes
 * before the first in every round but one), and the garbage a row leaves is collected in whichever
 * row runs next: bare Hono, after @hono/session, was about 20 % slower on Node than alone, which put
 * web-sessions' read at 1.08-1.21 × bare Hono. With this lead-in the collection falls before the
 * clock starts: 0.88-0.91, as with bare Hono and web-sessions run alone.
 */
export const LEAD_IN = 0.25;

/**
 * Runs `rounds` interleaved rounds: each round times every row for `ms` with `time` (after an
 * untimed lead-in of the same row, `LEAD_IN`), in an order rotated from round to round so no row is
 * always first. Returns what `time` measured, per row per round. By default the rows are clients,
 * timed in requests/s.
 */
export async function interleave<Row = Client>(
  rows: readonly Row[],
  rounds: number,
  ms: number,
  time: (row: Row, ms: number) => Promise<number> = (client, ms) => (client as Client).timed(ms),
): Promise<number[][]> {
  const results = rows.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < rows.length; k++) {
      const i = (k + round) % rows.length;
      await time(rows[i]!, ms * LEAD_IN);
      results[i]!.push(await time(rows[i]!, ms));
    }
  }
  return results;
}

/** A fresh client for a row: one that sets no cookie is given the session's cookie to send anyway (bench/browser-cookie.ts). */
export async function newClient(label: string, app: App, setsCookie: boolean, route: Route = "counter"): Promise<Client> {
  return new Client(label, app, setsCookie, route, setsCookie ? "" : await sessionCookieHeader());
}

/** Checks that `requests` round trips through a fresh client come back intact (throws otherwise). */
export async function checkRoundTrips(label: string, app: App, setsCookie: boolean, requests: number, route: Route = "counter"): Promise<Client> {
  const client = await newClient(label, app, setsCookie, route);
  for (let i = 0; i < requests; i++) await client.hit();
  if (setsCookie && !client.cookie) throw new Error(`${label}: no cookie after ${requests} requests`);
  return client;
}
