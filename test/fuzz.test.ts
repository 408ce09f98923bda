// Property-based tests (fast-check): the cookie parser and the codec on their own, then the whole
// middleware for every store, under generated Cookie headers and generated session contents.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Codec } from "../src/codec.ts";
import { parseCookies } from "../src/cookie.ts";
import { CookieStore } from "../src/stores/cookie.ts";
import { MemoryStore } from "../src/stores/memory.ts";
import "../src/jwt/index.ts";
import { OLD_SECRET, SECRET } from "./support/browser.ts";
import { headerString } from "./support/cookie-cases.ts";
import { describeMiddlewareFuzz } from "./support/middleware-fuzz.ts";
import { generatedRuns } from "./support/mutation.ts";

const SEED = 0xc00c1e;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
// RFC 6265 cookie-octets plus space inside (trimmed at the ends by the parser, so kept out of the ends here).
const cookieOctet = fc.constantFrom(..."!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");
const tokenChar = fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
const anything = fc.oneof(headerString(400), fc.string({ unit: "binary", maxLength: 200 }), fc.string({ maxLength: 5_000 }));

/** The parser as it was first written, by splitting the header into pairs: the model the search must match. */
function splitParse(header: string, names: ReadonlySet<string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!names.has(name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found.set(name, [...(found.get(name) ?? []), value]);
  }
  return found;
}

const sorted = (found: Map<string, string[]>) => [...found].sort(([a], [b]) => (a < b ? -1 : 1));

describe("parseCookies under generated headers", () => {
  const names = new Set(["session", "a", "__Host-x"]);

  it("finds what splitting the header into pairs finds, for any header made of names, spaces, '=', ';' and quotes", () => {
    // Chunk names that extend the session's, and names inside values and other names, side by side.
    const chunked = new Set(["session", "session.1", "session.2", "a"]);
    const piece = fc.constantFrom("session", "session.1", ".1", "a", "xa", "=", ";", " ", "\t", "\u00a0", "\n", '"', "v", "==");
    const header = fc.oneof(fc.array(piece, { maxLength: 30 }).map((parts) => parts.join("")), anything);
    fc.assert(
      fc.property(header, (text) => {
        expect(sorted(parseCookies(text, chunked))).toEqual(sorted(splitParse(text, chunked)));
      }),
      { numRuns: generatedRuns(20_000), seed: SEED + 2 },
    );
  });

  it("never throws on any string, and returns only asked-for names with trimmed, ';'-free values", () => {
    fc.assert(
      fc.property(anything, (header) => {
        const found = parseCookies(header, names);
        for (const [name, values] of found) {
          expect(names.has(name)).toBe(true);
          for (const value of values) {
            expect(value).not.toContain(";");
            expect(value).toBe(value.trim());
          }
        }
      }),
      { numRuns: generatedRuns(10_000), seed: SEED },
    );
  });

  it("finds exactly the values of the asked-for names, in header order, whatever surrounds them", () => {
    const name = fc.oneof(fc.constantFrom(...names), fc.string({ unit: tokenChar, minLength: 1, maxLength: 10 }));
    const value = fc.string({ unit: cookieOctet, maxLength: 40 });
    const pair = fc.record({ name, value, quoted: fc.boolean(), pad: fc.constantFrom("", " ", "\t ") });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), fc.constantFrom(";", "; ", " ;  "), (pairs, separator) => {
        const header = pairs
          .map(({ name, value, quoted, pad }) => `${pad}${name}${pad}=${pad}${quoted ? `"${value}"` : value}${pad}`)
          .join(separator);
        const expected = new Map<string, string[]>();
        for (const { name, value } of pairs) {
          if (names.has(name)) expected.set(name, [...(expected.get(name) ?? []), value]);
        }
        expect(parseCookies(header, names)).toEqual(expected);
      }),
      { numRuns: generatedRuns(10_000), seed: SEED + 1 },
    );
  });
});

describe("Codec under generated input", () => {
  const codec = new Codec([SECRET, OLD_SECRET]);
  const oldOnly = new Codec([OLD_SECRET]);
  const text = fc.string({ unit: "binary", maxLength: 300 });

  it("opens nothing from generated strings, and never throws", async () => {
    await fc.assert(
      fc.asyncProperty(anything, async (value) => {
        expect(await codec.decrypt("session", value)).toBeUndefined();
        expect(await codec.verify("session", value)).toBeUndefined();
      }),
      { numRuns: generatedRuns(10_000), seed: SEED + 2 },
    );
  });

  it("round-trips any text, and a one-character change opens nothing unless it changed nothing", async () => {
    const change = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      ch: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_. "),
      op: fc.constantFrom("replace", "insert", "delete"),
    });
    await fc.assert(
      fc.asyncProperty(text, change, fc.boolean(), async (plain, { at, ch, op }, older) => {
        const sealer = older ? oldOnly : codec;
        const exp = inAnHour();
        const sealed = await sealer.encrypt("session", plain, exp);
        const original = { text: plain, expiresAt: exp * 1000 };
        expect(await codec.decrypt("session", sealed)).toEqual(original);
        expect(await codec.decrypt("other", sealed)).toBeUndefined();
        const pos = Math.floor(at * sealed.length);
        const changed = op === "insert" ? sealed.slice(0, pos) + ch + sealed.slice(pos) : sealed.slice(0, pos) + (op === "replace" ? ch : "") + sealed.slice(pos + 1);
        // Each value has one encoding (canonical base64url), so only an unchanged value opens, and to the same content.
        expect(await codec.decrypt("session", changed)).toEqual(changed === sealed ? original : undefined);
      }),
      { numRuns: generatedRuns(2_000), seed: SEED + 3 },
    );
  });

  it("verifies any signed token, refuses it under another name, and a one-character change opens nothing unless it changed nothing", async () => {
    const token = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(token, fc.nat(), fc.constantFrom(..."Aa0-_.9zQ"), async (plain, where, ch) => {
        const exp = inAnHour();
        const signed = await codec.sign("session", plain, exp);
        const original = { text: plain, expiresAt: exp * 1000 };
        expect(await codec.verify("session", signed)).toEqual(original);
        expect(await codec.verify("sessio", signed)).toBeUndefined();
        const pos = where % signed.length;
        const changed = signed.slice(0, pos) + ch + signed.slice(pos + 1);
        // Only an unchanged value opens, and to the same token and expiry.
        expect(await codec.verify("session", changed)).toEqual(changed === signed ? original : undefined);
      }),
      { numRuns: generatedRuns(2_000), seed: SEED + 4 },
    );
  });
});

describeMiddlewareFuzz("CookieStore (encrypted)", { make: (secrets) => new CookieStore({ secrets }), serverSide: false });
describeMiddlewareFuzz("CookieStore (signed)", { make: (secrets) => new CookieStore({ secrets, encrypt: false }), serverSide: false });
describeMiddlewareFuzz("CookieStore (encrypted, chunks: 4)", { make: (secrets) => new CookieStore({ secrets, chunks: 4, maxHeaderBytes: 40_960 }), serverSide: false, chunks: 4 });
describeMiddlewareFuzz("CookieStore (signed, chunks: 4)", { make: (secrets) => new CookieStore({ secrets, encrypt: false, chunks: 4, maxHeaderBytes: 40_960 }), serverSide: false, chunks: 4, headers: 3_000, writes: 500 });
describeMiddlewareFuzz("CookieStore (jwt)", { make: (secrets) => new CookieStore({ secrets, format: "jwt" }), serverSide: false, headers: 3_000, writes: 500 });
describeMiddlewareFuzz("CookieStore (jwt, signed, chunks: 5)", { make: (secrets) => new CookieStore({ secrets, format: "jwt", encrypt: false, chunks: 5, maxHeaderBytes: 40_960 }), serverSide: false, chunks: 5, headers: 3_000, writes: 500 });
describeMiddlewareFuzz("MemoryStore", { make: (secrets) => new MemoryStore({ secrets }), serverSide: true });
describeMiddlewareFuzz("MemoryStore", { make: (secrets) => new MemoryStore({ secrets }), serverSide: true, lazy: true });
