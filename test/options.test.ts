import { describe, expect, it } from "vitest";
import { checkCookieName, checkCookieOptions, resolveCookieOptions } from "../src/options.ts";
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
    });
  });

  it("lets later layers win and ignores undefined", () => {
    const resolved = resolveCookieOptions({ maxAge: 10, path: "/a" }, { maxAge: 20, path: undefined }, { sameSite: "none" });
    expect(resolved).toMatchObject({ maxAge: 20, path: "/a", sameSite: "None" });
  });
});

describe("checkCookieOptions", () => {
  it.each<CookieOptions>([{ maxAge: 0 }, { maxAge: -1 }, { maxAge: Number.NaN }, { sameSite: "loose" as "Lax" }, { path: "app" }])(
    "refuses %j",
    (options) => expect(() => checkCookieOptions(options, "T")).toThrow(configError),
  );

  it("accepts good options", () => {
    expect(() => checkCookieOptions({ maxAge: 1, sameSite: "strict", path: "/x" }, "T")).not.toThrow();
  });
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

  it("refuses names that are not tokens, and what browsers would reject", () => {
    expect(() => checkCookieName("my session", resolveCookieOptions())).toThrow(configError);
    expect(() => checkCookieName("s", resolveCookieOptions({ sameSite: "None", secure: false }))).toThrow(configError);
    expect(() => checkCookieName("s", resolveCookieOptions({ partitioned: true, secure: false }))).toThrow(configError);
  });
});
