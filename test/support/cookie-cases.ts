/**
 * Generated `Cookie` headers and session contents for the property-based tests (fast-check).
 *
 * A header is built from fragments, each `name=value` pair knowing what it is (a valid cookie of
 * the pool, a mutated or truncated one, junk, a cookie sealed for another name or secret, ...), so
 * the test can say which session the middleware must answer with. Every generated header is a
 * legal header value (bytes 0x01-0xFF, no CR or LF): anything else never reaches a server.
 */
import fc from "fast-check";

/** The cookie name under test. */
export const NAME = "session";

// Header values are ByteStrings without NUL, CR and LF (fetch spec); everything else is fair game.
export const HEADER_CHAR = fc
  .integer({ min: 0x01, max: 0xff })
  .filter((code) => code !== 0x0a && code !== 0x0d)
  .map((code) => String.fromCharCode(code));
const BINARY_CHAR = fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code));
// What sealed values are made of, so mutations stay close to something the codec might accept.
export const SEAL_CHAR = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=\" ");

/** Any legal header value. */
export const headerString = (maxLength = 200) => fc.string({ unit: HEADER_CHAR, maxLength });
export const binaryString = fc.string({ unit: BINARY_CHAR, minLength: 1, maxLength: 200 });
// A junk value inside one fragment: no ';', so it cannot smuggle in more pairs of our name.
export const junkValue = fc.oneof(
  fc.string({ unit: HEADER_CHAR, maxLength: 120 }).map((s) => s.replaceAll(";", "")),
  fc.string({ unit: SEAL_CHAR, maxLength: 120 }),
  binaryString,
  fc.constantFrom("", '"', '""', "=", "..", "...", "a.b.c.d", "0.0.0.0", "x.99999999999999.y.z", "\t", "%00", "null", "{}"),
);

/** Foreign values that must never open a session: sealed for another cookie name, with another secret, or expired. */
export interface ForeignValues {
  otherName: string[];
  otherSecret: string[];
  expired: string[];
}

/** One `name=value` pair of a generated header. */
export type Fragment =
  | { kind: "valid"; i: number; quote: boolean; pad: string }
  | { kind: "mutated"; i: number; op: "replace" | "insert" | "delete"; at: number; ch: string }
  | { kind: "truncated"; i: number; at: number }
  | { kind: "foreign"; set: keyof ForeignValues; i: number }
  | { kind: "junk"; value: string }
  | { kind: "huge"; length: number; ch: string }
  | { kind: "other"; name: string; value: string }
  | { kind: "otherValid"; name: string; i: number };

/** A generated header: fragments joined by separators, or raw bytes with no structure at all. */
export type HeaderCase = { raw: string } | { fragments: Fragment[]; separators: string[] };

const index = (pool: number) => fc.nat(pool - 1);
// Other cookie names, none of which trims to NAME (that would make it one of ours).
export const otherName = fc.oneof(
  fc.constantFrom("Session", "sessions", "session_", "_session", "other", "theme", "__Host-session", "sid", "s\u00e9ssion", ""),
  fc.string({ unit: SEAL_CHAR, maxLength: 12 }),
).filter((name) => name.trim() !== NAME && !name.includes(";") && !name.includes("="));

function fragment(pool: number, foreignPool: number): fc.Arbitrary<Fragment> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("valid" as const), i: index(pool), quote: fc.boolean(), pad: fc.constantFrom("", " ", "  ", "\t") }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("mutated" as const),
        i: index(pool),
        op: fc.constantFrom("replace" as const, "insert" as const, "delete" as const),
        at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        ch: fc.oneof(SEAL_CHAR, HEADER_CHAR.filter((ch) => ch !== ";")),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncated" as const), i: index(pool), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("foreign" as const), set: fc.constantFrom("otherName" as const, "otherSecret" as const, "expired" as const), i: index(foreignPool) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("junk" as const), value: junkValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("huge" as const), length: fc.integer({ min: 4_000, max: 100_000 }), ch: fc.constantFrom("A", ".", "a.", "\u00ff", "%") }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("other" as const), name: otherName, value: junkValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("otherValid" as const), name: otherName, i: index(pool) }) },
  );
}

export const SEPARATOR = fc.constantFrom("; ", ";", " ; ", ";;", "; ;", ";\t");

/**
 * Cookie headers around a pool of `pool` valid cookie values (and `foreignPool` of each kind of
 * foreign value): structured ones, and raw strings (random, binary, huge) with no structure.
 */
export function headerCase(pool: number, foreignPool: number): fc.Arbitrary<HeaderCase> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(fragment(pool, foreignPool), { minLength: 1, maxLength: 6 }).chain((fragments) =>
      fc.record({ fragments: fc.constant(fragments), separators: fc.array(SEPARATOR, { minLength: fragments.length, maxLength: fragments.length }) }),
    ) },
    { weight: 1, arbitrary: fc.record({ raw: headerString(300) }) },
    { weight: 1, arbitrary: fc.record({ raw: fc.oneof(binaryString, binaryString.map((s) => `${NAME}=${s}`)) }) },
  );
}

/** What a rendered header holds under NAME, in header order, and how the middleware must treat it. */
export interface Rendered {
  header: string;
  /** Pool indices whose cookie could legitimately open (valid ones, and mutations that may decode the same). */
  allowed: Set<number>;
  /** The session the middleware must answer with, when the case pins it down; undefined = a fresh one. */
  rightful: number | undefined;
  /** Whether the rightful one is certain (false: any of `allowed`, or a fresh session, is right). */
  exact: boolean;
}

function mutate(value: string, { op, at, ch }: Extract<Fragment, { kind: "mutated" }>): string {
  const pos = Math.floor(at * (value.length + (op === "insert" ? 1 : 0)));
  if (op === "insert") return value.slice(0, pos) + ch + value.slice(pos);
  if (op === "delete") return value.slice(0, pos) + value.slice(pos + 1);
  return value.slice(0, pos) + ch + value.slice(pos + 1);
}

// The jar tries the first this many well-formed values of one cookie name (MAX_CANDIDATES in
// src/jar.ts), then the last one; values the store's format check refuses are skipped and do not count.
const CANDIDATES = 4;

/** A value as the parser hands it to the store: trimmed, and out of its double quotes. */
export function asParsed(value: string): string {
  const trimmed = value.trim();
  return trimmed.length > 1 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * Turns a generated case into a header, given the pool's valid values, the foreign values, and the
 * store's format check (`Store.isWellFormed`; without one every value counts).
 */
export function render(
  generated: HeaderCase,
  valid: readonly string[],
  foreign: ForeignValues,
  wellFormed: (value: string) => boolean = () => true,
): Rendered {
  if ("raw" in generated) return { header: generated.raw, allowed: new Set(), rightful: undefined, exact: true };
  // For each value of ours, in header order: which pool session it could open, whether certainly,
  // and whether the jar tries it (counts toward CANDIDATES).
  const ours: { could: number | undefined; certain: boolean; counts: boolean }[] = [];
  const add = (value: string, could?: number, certain = false) => ours.push({ could, certain, counts: wellFormed(asParsed(value)) });
  const pairs = generated.fragments.map((f) => {
    switch (f.kind) {
      case "valid": {
        const value = f.quote ? `"${valid[f.i]}"` : valid[f.i]!;
        add(value, f.i, true);
        return `${NAME}=${f.pad}${value}${f.pad}`;
      }
      case "mutated": {
        const value = mutate(valid[f.i]!, f);
        // A mutation may be harmless (the same character, surrounding whitespace, a base64url
        // character differing only in unused low bits): then the rightful session may still open.
        add(value, f.i, value === valid[f.i]);
        return `${NAME}=${value}`;
      }
      case "truncated": {
        const value = valid[f.i]!.slice(0, Math.floor(f.at * valid[f.i]!.length));
        add(value);
        return `${NAME}=${value}`;
      }
      case "foreign":
        add(foreign[f.set][f.i]!);
        return `${NAME}=${foreign[f.set][f.i]}`;
      case "junk":
        add(f.value);
        return `${NAME}=${f.value}`;
      case "huge": {
        const value = f.ch.repeat(Math.ceil(f.length / f.ch.length));
        add(value);
        return `${NAME}=${value}`;
      }
      case "other":
        return `${f.name}=${f.value}`;
      case "otherValid":
        return `${f.name}=${valid[f.i]}`;
    }
  });
  const header = pairs.map((pair, i) => pair + generated.separators[i]).join("");
  const allowed = new Set(ours.flatMap((o) => (o.could === undefined ? [] : [o.could])));
  const counted = ours.filter((o) => o.counts);
  const tried = counted.length > CANDIDATES + 1 ? [...counted.slice(0, CANDIDATES), counted.at(-1)!] : counted;
  const first = tried.findIndex((o) => o.could !== undefined);
  // Nothing tried can open: a fresh session, certainly.
  if (first < 0) return { header, allowed, rightful: undefined, exact: true };
  // The first value that can open is certain: nothing before it opens, so it is the rightful one.
  const opener = tried[first]!;
  if (opener.certain) return { header, allowed, rightful: opener.could, exact: true };
  // A mutation first: it may or may not open, so any of `allowed`, or a fresh session, is right.
  return { header, allowed, rightful: undefined, exact: false };
}

// ---- session contents ----

// Numbers JSON keeps exactly: safe integers to the edge, doubles (but not -0, which JSON writes as 0).
const jsonNumber = fc.oneof(
  fc.maxSafeInteger(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 - 2, Number.MAX_VALUE, Number.MIN_VALUE, 0, 1e21, 1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
);
const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const jsonString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.string({ unit: LONE_SURROGATE, maxLength: 3 }),
  // Strings that look like JSON (or like our own formats) must come back as the same strings.
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  fc.constantFrom("null", "true", "1", "-0", "1e400", '"quoted"', '{"__proto__":{"x":1}}', "[1,2]", "\u2028\u2029", "a.b.c.d", "\\u0000", "\u0000"),
);
/** Keys a session may use, including ones that are special on JavaScript objects. */
export const sessionKey = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "_flash", "", "0", "-1", "1.5"),
);

/** Any JSON value: unicode, nesting, big numbers, JSON-looking strings. */
export const sessionValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    jsonNumber,
    jsonString,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(sessionKey, tie("value"), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

/** A session's contents: distinct keys with JSON values. */
export const sessionEntries = fc.uniqueArray(fc.tuple(sessionKey, sessionValue), {
  selector: ([key]) => key,
  minLength: 1,
  maxLength: 6,
});
