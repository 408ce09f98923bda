import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url } from "../src/base64url.ts";

describe("base64url", () => {
  it("encodes like Node's Buffer and decodes back, at every length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(decodeBase64url(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses other alphabets, padding, impossible lengths and non-ASCII", () => {
    for (const junk of ["a+b/", "ab==", "abc=", "a", "abcde", "ab\u00e9d", "ab d", "ab\u0100d", "\u{1F680}abc"]) {
      expect(decodeBase64url(junk)).toBeUndefined();
    }
    expect(decodeBase64url("")).toEqual(new Uint8Array(0));
  });

  it("refuses a character outside the alphabet in any position", () => {
    const valid = "QUJDREVGR0hJSks"; // 15 characters: three groups of four and a tail of three
    for (const bad of ["+", "/", "=", " ", ".", "\u0000", "\u007f", "\u00ff", "\u0100", "\u{1F680}"]) {
      for (let at = 0; at < valid.length; at++) {
        expect(decodeBase64url(valid.slice(0, at) + bad + valid.slice(at + 1))).toBeUndefined();
      }
    }
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        if (!/^[A-Za-z0-9_-]*$/.test(text)) expect(decodeBase64url(text)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("gives the same bytes into the reused buffer, valid until the next such call", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        expect(decodeBase64url(encodeBase64url(bytes), true)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it("accepts exactly one encoding of each byte string (no stray bits after the last byte)", () => {
    expect(decodeBase64url("_w")).toEqual(new Uint8Array([255]));
    expect(decodeBase64url("_x")).toBeUndefined();
    expect(decodeBase64url("__8")).toEqual(new Uint8Array([255, 255]));
    expect(decodeBase64url("___")).toBeUndefined();
  });

  it("decodes groups of zero bits to zero bytes", () => {
    expect(decodeBase64url("AAAA")).toEqual(new Uint8Array([0, 0, 0]));
    expect(decodeBase64url("AAAAAA")).toEqual(new Uint8Array([0, 0, 0, 0]));
  });

  it("without reuse, hands out bytes that later calls leave alone", () => {
    const own = decodeBase64url("AAEC")!;
    decodeBase64url("____", true);
    decodeBase64url("____");
    expect(own).toEqual(new Uint8Array([0, 1, 2]));
  });

  it("decodes a text far longer than its working buffers, into new and reused bytes", () => {
    // The buffers grow to fit on demand; this outgrows by many times whatever came before.
    const length = 2 ** 20;
    const text = `${"A".repeat(length - 4)}AAAB`;
    const expected = new Uint8Array((length / 4) * 3);
    expected[expected.length - 1] = 1;
    for (const reuse of [false, true]) {
      const bytes = decodeBase64url(text, reuse);
      expect(bytes?.length).toBe(expected.length);
      expect(Buffer.from(bytes!).equals(expected)).toBe(true);
    }
    // Now exactly as long as the character buffer: the last character does not fit as UTF-8, and
    // what the earlier text left there must not be read in its place.
    expect(decodeBase64url(`${"A".repeat(length - 1)}\u00e9`)).toBeUndefined();
  });
});
