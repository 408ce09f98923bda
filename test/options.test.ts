import { describe, expect, it } from "vitest";
import { checkCookieName, checkCookieOptions, isCookieName, resolveCookieOptions } from "../src/options.ts";
import type { CookieOptions } from "../src/options.ts";

const configError = expect.objectContaining({ name: "SessionError", code: "ERR_SESSION_CONFIG" });

describe("resolveCookieOptions", () => {
  it("has safe defaults", () => {
    expect(resolveCookieOptions()).toEqual({
      path: "/",
      maxAge: 2592000,
      secure: true,
      httpOnly: true,
      sameSite: "Lax",
      partitioned: false,
      persistent: true,
    });
  });

  it("lets later layers win and ignores undefined", () => {
    const resolved = resolveCookieOptions({ maxAge: 10, path: "/a" }, { maxAge: 20, path: undefined }, { sameSite: "none" });
    expect(resolved).toMatchObject({ maxAge: 20, path: "/a", sameSite: "None" });
  });
});

describe("checkCookieOptions", () => {
  it.each<CookieOptions>([{ maxAge: 0 }, { maxAge: -1 }, { maxAge: Number.NaN }, { sameSite: "loose" as "Lax" }, { path: "app" }, { persistent: "no" as unknown as boolean }])(
    "refuses %j",
    (options) => expect(() => checkCookieOptions(options, "T")).toThrow(configError),
  );

  // `in` would find these on Object.prototype, and the Set-Cookie would say SameSite=function Object()...
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", 1 as unknown as string])("refuses the sameSite %j", (sameSite) => {
    expect(() => checkCookieOptions({ sameSite: sameSite as "Lax" }, "T")).toThrow(configError);
  });

  it("accepts good options", () => {
    expect(() => checkCookieOptions({ maxAge: 1, sameSite: "strict", path: "/x" }, "T")).not.toThrow();
  });

  // RFC 6265 §4.1.1: path-value is any CHAR but CTLs and ";". Anything else would let a path taken
  // from the request URL write attributes of its own into the Set-Cookie.
  it.each([
    "/a;Domain=example.com;Max-Age=31536000",
    "/a\r\nSet-Cookie: x=1",
    "/a\u0000",
    "/a\u007f",
    "/caf\u00e9",
    "a/b",
    7 as unknown as string,
    { toString: () => "/x" } as unknown as string,
  ])("refuses the path %j", (path) => {
    expect(() => checkCookieOptions({ path }, "T")).toThrow(configError);
  });

  it.each(["/", "/app", "/a b/c", "/~user/x.y-z_1", "/%3B", "/a,b=c"])("accepts the path %j", (path) => {
    expect(() => checkCookieOptions({ path }, "T")).not.toThrow();
  });

  it.each([
    "example.com;Max-Age=1",
    "example.com; Secure",
    "",
    " example.com",
    "exa mple.com",
    "example..com",
    "-example.com",
    "example-.com",
    "example.com.",
    "..example.com",
    "http://example.com",
    "example.com/a",
    "ex\u00e4mple.com",
    `${"a".repeat(64)}.com`,
    `${"a.".repeat(127)}com`,
    `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`, // 254 characters
    7 as unknown as string,
  ])("refuses the domain %j", (domain) => {
    expect(() => checkCookieOptions({ domain }, "T")).toThrow(configError);
  });

  const longest = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`; // 253 characters
  it.each(["example.com", ".example.com", "sub.Example.COM", "localhost", "a-b.c1.example", "127.0.0.1", "xn--bcher-kva.example", longest, `.${longest}`])(
    "accepts the domain %j",
    (domain) => expect(() => checkCookieOptions({ domain }, "T")).not.toThrow(),
  );
});

describe("checkCookieName", () => {
  it("enforces the __Host- and __Secure- prefix rules", () => {
    expect(() => checkCookieName("__Host-s", resolveCookieOptions())).not.toThrow();
    expect(() => checkCookieName("__Host-s", resolveCookieOptions({ secure: false }))).toThrow(configError);
    expect(() => checkCookieName("__Host-s", resolveCookieOptions({ path: "/app" }))).toThrow(configError);
    expect(() => checkCookieName("__Host-s", resolveCookieOptions({ domain: "example.com" }))).toThrow(configError);
    expect(() => checkCookieName("__Secure-s", resolveCookieOptions({ domain: "example.com" }))).not.toThrow();
    expect(() => checkCookieName("__Secure-s", resolveCookieOptions({ secure: false }))).toThrow(configError);
    // The message names the prefix that was broken, not the whole cookie name.
    expect(() => checkCookieName("__Secure-s", resolveCookieOptions({ secure: false }))).toThrow(/the __Secure- prefix needs secure/);
  });

  // RFC 6265bis §4.1.3: browsers match the prefixes without regard to case.
  it("enforces the prefix rules whatever the case of the prefix", () => {
    for (const name of ["__host-s", "__HOST-s", "__HoSt-s"]) {
      expect(() => checkCookieName(name, resolveCookieOptions({ path: "/app" }))).toThrow(configError);
      expect(() => checkCookieName(name, resolveCookieOptions({ domain: "example.com" }))).toThrow(configError);
      expect(() => checkCookieName(name, resolveCookieOptions())).not.toThrow();
    }
    for (const name of ["__secure-s", "__SECURE-s", "__host-s"]) {
      expect(() => checkCookieName(name, resolveCookieOptions({ secure: false }))).toThrow(configError);
    }
  });

  it("refuses names that are not tokens, and what browsers would reject", () => {
    expect(() => checkCookieName("my session", resolveCookieOptions())).toThrow(configError);
    expect(() => checkCookieName("s", resolveCookieOptions({ sameSite: "None", secure: false }))).toThrow(configError);
    expect(() => checkCookieName("s", resolveCookieOptions({ partitioned: true, secure: false }))).toThrow(configError);
  });
});

describe("isCookieName", () => {
  it("accepts RFC 6265 tokens only", () => {
    expect(isCookieName("__Host-session")).toBe(true);
    expect(isCookieName("my.session_1")).toBe(true);
    for (const bad of ["", "a b", "a;b", "a=b", 'a"b', "sé", "a,b"]) expect(isCookieName(bad)).toBe(false);
  });
});
