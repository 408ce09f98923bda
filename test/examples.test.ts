// The seed's examples, as their TypeScript twins in examples/, driven with real Requests.
import { describe, expect, it } from "vitest";
import { app as defaultApp } from "../examples/default.ts";
import { app as defaultManyApp } from "../examples/default-many.ts";
import { app as helloApp } from "../examples/hello.ts";
import { app as incrApp } from "../examples/incr.ts";
import { app as manyApp } from "../examples/many.ts";
import { exampleSecret, serveIfMain } from "../examples/serve.ts";
import { TestBrowser, setCookieFor } from "./support/browser.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import type { Hono } from "hono";

const browserOf = (app: Hono) => new TestBrowser((request) => app.fetch(request));

function cookieNames(lines: string[]): string[] {
  return lines.map((line) => line.slice(0, line.indexOf("="))).sort();
}

describe("incr (seed: Example, NewStore)", () => {
  it("counts 0, 1, 2 as the cookie comes back", async () => {
    const b = browserOf(incrApp);
    for (const expected of [0, 1, 2]) {
      expect(await b.json("/incr")).toEqual({ count: expected });
      expect(cookieNames(b.lastSetCookies)).toEqual(["mysession"]);
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
    const b = browserOf(app);
    expect(await b.json("/hello")).toEqual({ hello: "world" });
    expect(cookieNames(b.lastSetCookies)).toEqual(["mysession"]);

    // The session already holds "world": nothing is modified, nothing saved, no Set-Cookie.
    expect(await b.json("/hello")).toEqual({ hello: "world" });
    expect(b.lastSetCookies).toEqual([]);
  });
});

describe.each([
  ["many (seed: Many)", manyApp],
  ["default-many (seed: DefaultMany)", defaultManyApp],
])("%s", (_title, app) => {
  it("keeps two sessions in two cookies, a and b", async () => {
    const b = browserOf(app);
    expect(await b.json("/hello")).toEqual({ a: "world!", b: "world?" });
    expect(cookieNames(b.lastSetCookies)).toEqual(["a", "b"]);

    expect(await b.json("/hello")).toEqual({ a: "world!", b: "world?" });
    expect(b.lastSetCookies).toEqual([]);
  });

  it("re-creates only the session whose cookie is missing", async () => {
    const b = browserOf(app);
    await b.json("/hello");
    b.cookies.delete("b");

    expect(await b.json("/hello")).toEqual({ a: "world!", b: "world?" });
    expect(cookieNames(b.lastSetCookies)).toEqual(["b"]);
  });

  it("does not accept one session's cookie under the other's name", async () => {
    const b = browserOf(app);
    await b.json("/hello");
    // A store with the examples' secret opens their cookies, to tell which session each one holds.
    const store = new CookieStore({ secrets: exampleSecret() });
    const idOf = async (name: string, value: string | undefined) => (await store.load(name, value ?? ""))?.id;
    const [idA, idB] = [await idOf("a", b.cookies.get("a")), await idOf("b", b.cookies.get("b"))];
    expect(idA).toBeDefined();
    expect(idB).toBeDefined();

    const swapped = `a=${b.cookies.get("b")}; b=${b.cookies.get("a")}`;
    const response = await app.request("/hello", { headers: { Cookie: swapped } });
    // Neither swapped cookie opened, so each name starts a session of its own, under a new id.
    const valueOf = (name: string) => setCookieFor(response, name)?.split(";")[0]!.slice(name.length + 1);
    const [newA, newB] = [await idOf("a", valueOf("a")), await idOf("b", valueOf("b"))];
    expect(newA).toBeDefined();
    expect(newB).toBeDefined();
    expect([idA, idB]).not.toContain(newA);
    expect([idA, idB]).not.toContain(newB);
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
