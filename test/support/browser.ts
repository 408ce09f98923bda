/** A minimal cookie-keeping client for tests: sends back what the server set, like a browser. */

export type Fetcher = (request: Request) => Response | Promise<Response>;

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  lastSetCookies: string[] = [];

  constructor(private readonly fetcher: Fetcher, private readonly origin = "http://localhost") {}

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

  async json(path: string, init?: RequestInit): Promise<any> {
    const response = await this.fetch(path, init);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** The Set-Cookie line for `name` in a response, if any. */
export function setCookieFor(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

export const SECRET = "a-test-secret-that-is-long-enough-0001";
export const OLD_SECRET = "an-older-secret-that-is-long-enough-02";
