// The seed's examples, as their TypeScript twins in examples/, driven with real Requests.
import { describe, expect, it } from "vitest";
import { app as defaultApp } from "../examples/default.ts";
import { app as defaultManyApp } from "../examples/default-many.ts";
import { app as helloApp } from "../examples/hello.ts";
import { app as incrApp } from "../examples/incr.ts";
import { app as manyApp } from "../examples/many.ts";
import { exampleSecret, serveIfMain } from "../examples/serve.ts";

/** What a browser would do with Set-Cookie, minus everything the examples do not use. */
class CookieJar {
  readonly cookies = new Map<string, string>();

  /** Records the response's cookies and returns its Set-Cookie lines. */
  take(response: Response): string[] {
    const lines = response.headers.getSetCookie();
    for (const line of lines) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /;\s*max-age=0(;|$)/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return lines;
  }

  header(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") };
  }
}

function cookieNames(lines: string[]): string[] {
  return lines.map((line) => line.slice(0, line.indexOf("="))).sort();
}

describe("incr (seed: Example, NewStore)", () => {
  it("counts 0, 1, 2 as the cookie comes back", async () => {
    const jar = new CookieJar();
    for (const expected of [0, 1, 2]) {
      const response = await incrApp.request("/incr", { headers: jar.header() });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ count: expected });
      const lines = jar.take(response);
      expect(cookieNames(lines)).toEqual(["mysession"]);
    }
  });

  it("starts over at 0 without a cookie", async () => {
    await incrApp.request("/incr");
    const response = await incrApp.request("/incr");
    expect(await response.json()).toEqual({ count: 0 });
  });

  it("keeps the library's cookie defaults: HttpOnly, Secure, SameSite=Lax", async () => {
    const [line] = (await incrApp.request("/incr")).headers.getSetCookie();
    expect(line).toMatch(/; HttpOnly(;|$)/);
    expect(line).toMatch(/; Secure(;|$)/);
    expect(line).toMatch(/; SameSite=Lax(;|$)/);
    expect(line).toMatch(/; Path=\//);
  });

  it("ignores a forged cookie: a new session, not an error", async () => {
    const response = await incrApp.request("/incr", { headers: { Cookie: "mysession=forged.value" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: 0 });
  });
});

describe.each([
  ["hello (seed: New)", helloApp],
  ["default (seed: Default)", defaultApp],
])("%s", (_title, app) => {
  it("answers hello world and sets the cookie only once", async () => {
    const jar = new CookieJar();

    const first = await app.request("/hello", { headers: jar.header() });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ hello: "world" });
    expect(cookieNames(jar.take(first))).toEqual(["mysession"]);

    // The session already holds "world": nothing is modified, nothing saved, no Set-Cookie.
    const second = await app.request("/hello", { headers: jar.header() });
    expect(await second.json()).toEqual({ hello: "world" });
    expect(second.headers.getSetCookie()).toEqual([]);
  });
});

describe.each([
  ["many (seed: Many)", manyApp],
  ["default-many (seed: DefaultMany)", defaultManyApp],
])("%s", (_title, app) => {
  it("keeps two sessions in two cookies, a and b", async () => {
    const jar = new CookieJar();

    const first = await app.request("/hello", { headers: jar.header() });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ a: "world!", b: "world?" });
    expect(cookieNames(jar.take(first))).toEqual(["a", "b"]);

    const second = await app.request("/hello", { headers: jar.header() });
    expect(await second.json()).toEqual({ a: "world!", b: "world?" });
    expect(second.headers.getSetCookie()).toEqual([]);
  });

  it("re-creates only the session whose cookie is missing", async () => {
    const jar = new CookieJar();
    jar.take(await app.request("/hello"));
    jar.cookies.delete("b");

    const response = await app.request("/hello", { headers: jar.header() });
    expect(await response.json()).toEqual({ a: "world!", b: "world?" });
    expect(cookieNames(response.headers.getSetCookie())).toEqual(["b"]);
  });

  it("does not accept one session's cookie under the other's name", async () => {
    const jar = new CookieJar();
    jar.take(await app.request("/hello"));
    const swapped = `a=${jar.cookies.get("b")}; b=${jar.cookies.get("a")}`;

    const response = await app.request("/hello", { headers: { Cookie: swapped } });
    expect(cookieNames(response.headers.getSetCookie())).toEqual(["a", "b"]);
  });
});

describe("serve.ts", () => {
  it("does not start a server when the module is only imported", () => {
    expect(serveIfMain(incrApp, "file:///not/the/entry.ts")).toBeUndefined();
  });

  it("gives a secret long enough for the stores", () => {
    expect(exampleSecret().length).toBeGreaterThanOrEqual(32);
  });
});
