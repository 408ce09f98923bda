/**
 * base64url without padding (RFC 4648 §5), the alphabet of every cookie value written here.
 *
 * Written by hand rather than taken from jose: on Node 20 (no `Uint8Array.prototype.toBase64`)
 * jose goes through `btoa`/`atob`, binary strings and three regex replaces. Measured on the
 * 300-byte value of a 10-field session, this encodes in 1.6 µs (jose 2.9 µs) and decodes in
 * 1.6 µs (jose 4.2 µs), and each cookie request does one of each. The native
 * `Uint8Array.fromBase64` where it exists is not used: it skips whitespace, so it would accept
 * values this code refuses, and behaviour should not depend on the runtime.
 *
 * @module
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const TO_CODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const FROM_CODE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) FROM_CODE[ALPHABET.charCodeAt(i)] = i;

// The output is ASCII, so any decoder gives the same string; TextDecoder is the fastest way from
// bytes to a string (one native call instead of a character at a time).
const ascii = new TextDecoder();

/** Encodes bytes as base64url, without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  const n = bytes.length;
  const full = n - (n % 3);
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i < full; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = TO_CODE[v >>> 18]!;
    out[o++] = TO_CODE[(v >>> 12) & 63]!;
    out[o++] = TO_CODE[(v >>> 6) & 63]!;
    out[o++] = TO_CODE[v & 63]!;
  }
  if (n - full === 1) {
    const v = bytes[i]!;
    out[o++] = TO_CODE[v >>> 2]!;
    out[o] = TO_CODE[(v << 4) & 63]!;
  } else if (n - full === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    out[o++] = TO_CODE[v >>> 10]!;
    out[o++] = TO_CODE[(v >>> 4) & 63]!;
    out[o] = TO_CODE[(v << 2) & 63]!;
  }
  return ascii.decode(out);
}

/**
 * Decodes unpadded base64url, or returns undefined for anything else: another alphabet, padding,
 * a length no encoder produces, or set bits past the last byte (so each byte string has exactly
 * one encoding).
 */
export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  const length = text.length;
  const rest = length & 3;
  if (rest === 1) return undefined;
  const out = new Uint8Array((length * 3) >>> 2);
  const full = length - rest;
  let o = 0;
  let i = 0;
  for (; i < full; i += 4) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const c = text.charCodeAt(i + 2);
    const d = text.charCodeAt(i + 3);
    if ((a | b | c | d) > 127) return undefined;
    // A character outside the alphabet maps to -1, which makes the whole group negative.
    const v = (FROM_CODE[a]! << 18) | (FROM_CODE[b]! << 12) | (FROM_CODE[c]! << 6) | FROM_CODE[d]!;
    if (v < 0) return undefined;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 255;
    out[o++] = v & 255;
  }
  if (rest === 0) return out;
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const c = rest === 3 ? text.charCodeAt(i + 2) : 65; // "A": six zero bits
  if ((a | b | c) > 127) return undefined;
  const v = (FROM_CODE[a]! << 12) | (FROM_CODE[b]! << 6) | FROM_CODE[c]!;
  if (v < 0) return undefined;
  if (rest === 2) {
    if (v & 0x3ff) return undefined; // bits past the last byte
    out[o] = v >>> 10;
  } else {
    if (v & 3) return undefined;
    out[o++] = v >>> 10;
    out[o] = (v >>> 2) & 255;
  }
  return out;
}
