/**
 * A minimal cookie-keeping client for tests: it sends back what the server set, like a browser.
 *
 * @module
 */

/** Anything that answers a Request: `app.fetch`, a Workers handler, a wrapped Deno handler. */
export type Fetcher = (request: Request) => Response | Promise<Response>;

/**
 * Keeps the cookies a server sets (and drops those it deletes), sending them with each request.
 *
 * @example
 * ```ts
 * import { TestBrowser } from "web-sessions/testing";
 *
 * const browser = new TestBrowser((request) => app.fetch(request));
 * await browser.json("/login", { method: "POST" });
 * const cookie = browser.cookieHeader(); // "session=..."
 * ```
 */
export class TestBrowser {
  readonly cookies: Map<string, string> = new Map();
  lastSetCookies: string[] = [];

  constructor(
    private readonly fetcher: Fetcher,
    private readonly origin = "http://localhost",
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has("Cookie")) headers.set("Cookie", this.cookieHeader());
    const response = await this.fetcher(new Request(this.origin + path, { ...init, headers }));
    this.lastSetCookies = response.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      if (/;\s*Max-Age=0(;|$)/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(eq + 1));
    }
    return response;
  }

  /** Fetches `path` and parses its JSON body; throws unless the status is 200. */
  async json(path: string, init?: RequestInit): Promise<any> {
    const response = await this.fetch(path, init);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/**
 * The Set-Cookie line for `name` in a response, if any.
 *
 * @example
 * ```ts
 * import { setCookieFor } from "web-sessions/testing";
 *
 * const line = setCookieFor(await app.request("/"), "session");
 * ```
 */
export function setCookieFor(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The secret the suite's stores are made with unless it passes others (at least 32 characters). */
export const SECRET = "a-test-secret-that-is-long-enough-0001";
/** The older secret of the suite's rotation case. */
export const OLD_SECRET = "an-older-secret-that-is-long-enough-02";
