import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cookieLifetime, parseCookies, serializeCookie, serializeDeletion } from "../src/cookie.ts";
import { resolveCookieOptions } from "../src/options.ts";

describe("parseCookies", () => {
  const names = new Set(["session", "a"]);

  /** The parser as first written (split on ";", then on the first "="): the one-pass walk must agree with it. */
  function splitParse(header: string, wanted: ReadonlySet<string>): Map<string, string[]> {
    const found = new Map<string, string[]>();
    for (const pair of header.split(";")) {
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      if (!wanted.has(name)) continue;
      let value = pair.slice(eq + 1).trim();
      if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      found.set(name, [...(found.get(name) ?? []), value]);
    }
    return found;
  }

  it("agrees with splitting on ';' then on the first '=' for generated headers", () => {
    const piece = fc.constantFrom("session", "a", "b", "=", ";", " ", '"', "x", "\t", "\u00a0", "==", "; ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const header = pieces.join("");
        expect([...parseCookies(header, names)]).toEqual([...splitParse(header, names)]);
      }),
      { numRuns: 3000 },
    );
  });

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
