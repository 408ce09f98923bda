import { describe, expect, it } from "vitest";
import { cookieLifetime, parseCookies, serializeCookie, serializeDeletion } from "../src/cookie.ts";
import { resolveCookieOptions } from "../src/options.ts";

describe("parseCookies", () => {
  const names = new Set(["session", "a"]);

  it('finds the pair after a long run of pairs without "="', () => {
    const header = `${";x".repeat(50_000)}; session=v`;
    expect(parseCookies(header, names).get("session")).toEqual(["v"]);
  });

  it("returns only the configured names", () => {
    const found = parseCookies("theme=dark; session=abc.def; other=1; a=x", names);
    expect([...found]).toEqual([
      ["session", ["abc.def"]],
      ["a", ["x"]],
    ]);
  });

  it("keeps every value of a duplicated name, in header order", () => {
    expect(parseCookies("session=first; session=second", names).get("session")).toEqual(["first", "second"]);
  });

  it("trims whitespace, strips quotes, and keeps '=' inside values", () => {
    const found = parseCookies('  session = "v=1" ;a=b==', names);
    expect(found.get("session")).toEqual(["v=1"]);
    expect(found.get("a")).toEqual(["b=="]);
  });

  it("survives empty, missing and malformed headers", () => {
    expect(parseCookies(null, names).size).toBe(0);
    expect(parseCookies("", names).size).toBe(0);
    expect(parseCookies(";;; =; session; =x", names).size).toBe(0);
    expect(parseCookies("session=", names).get("session")).toEqual([""]);
  });

  it("skips a pair without '=' even when it starts with a configured name", () => {
    expect([...parseCookies("sessionX; ax; a=1", names)]).toEqual([["a", ["1"]]]);
  });

  it("strips only a pair of quotes, and keeps a quote that has no partner", () => {
    expect(parseCookies('session="abc; a=abc"', names)).toEqual(
      new Map([
        ["session", ['"abc']],
        ["a", ['abc"']],
      ]),
    );
    expect(parseCookies('session="; a=""', names)).toEqual(
      new Map([
        ["session", ['"']],
        ["a", [""]],
      ]),
    );
  });
});

describe("serializeCookie", () => {
  it("writes the safe defaults", () => {
    expect(serializeCookie("session", "v", resolveCookieOptions())).toBe(
      "session=v; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
  });

  it("leaves out Secure and HttpOnly when they are off, and takes a lifetime apart from the options", () => {
    const options = resolveCookieOptions({ secure: false, httpOnly: false, sameSite: "lax" });
    expect(serializeCookie("s", "v", options)).toBe("s=v; Max-Age=2592000; Path=/; SameSite=Lax");
    // The same options object again (its attributes are built once), with a save's remaining lifetime.
    expect(serializeCookie("s", "w", options, 59.9)).toBe("s=w; Max-Age=59; Path=/; SameSite=Lax");
    expect(serializeCookie("s", "", options, 0)).toBe("s=; Max-Age=0; Path=/; SameSite=Lax");
  });

  it("writes every option", () => {
    const options = resolveCookieOptions({
      domain: "example.com",
      path: "/app",
      maxAge: 60.7,
      httpOnly: false,
      sameSite: "strict",
      partitioned: true,
    });
    expect(serializeCookie("s", "v", options)).toBe(
      "s=v; Max-Age=60; Path=/app; Domain=example.com; Secure; SameSite=Strict; Partitioned",
    );
  });

  it("writes no Max-Age (nor Expires) for a browser-session cookie, but still deletes with Max-Age=0", () => {
    const options = resolveCookieOptions({ persistent: false, maxAge: 60 });
    expect(serializeCookie("s", "v", options)).toBe("s=v; Path=/; HttpOnly; Secure; SameSite=Lax");
    expect(serializeDeletion("s", options)).toBe("s=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax");
    expect(cookieLifetime(options)).toBeUndefined();
    expect(cookieLifetime({ ...options, maxAge: 0 })).toBe(0);
    expect(cookieLifetime(resolveCookieOptions({ maxAge: 60.9 }))).toBe(60);
  });

  it("deletes with Max-Age=0 and the same path and domain", () => {
    expect(serializeDeletion("s", resolveCookieOptions({ domain: "example.com" }))).toBe(
      "s=; Max-Age=0; Path=/; Domain=example.com; HttpOnly; Secure; SameSite=Lax",
    );
  });
});
