/**
 * Generated `Cookie` headers for a chunked session (`session`, `session.1`, ...), with the oracle
 * that says which session the middleware must answer with.
 *
 * Fragments are built from the chunks of the pool's valid cookies: whole, with a chunk missing,
 * two chunks swapped, a chunk from another session, an extra chunk, a mutated chunk, and the junk
 * and foreign values of cookie-cases.ts under any chunk name. The oracle joins the values the way
 * the jar is documented to (src/chunks.ts `joinChunks`: the j-th value of each chunk name, up to
 * the count the first chunk carries) and asks only whether a joined value is exactly a valid cookie: the
 * seal authenticates the whole value, so nothing else can open, except a mutation that decodes
 * the same (then either answer is right).
 */
import fc from "fast-check";
import { HEADER_CHAR, NAME, SEAL_CHAR, SEPARATOR, asParsed, binaryString, headerString, junkValue, otherName } from "./cookie-cases.ts";
import type { HeaderCase, Rendered } from "./cookie-cases.ts";

/** A cookie as the chunks its Set-Cookie lines carried, in chunk order. */
export type Parts = readonly string[];

/** Foreign cookies (another name, another secret, expired), as chunks. */
export interface ForeignParts {
  otherName: Parts[];
  otherSecret: Parts[];
  expired: Parts[];
}

type ChunkFragment =
  | { kind: "whole"; i: number; reverse: boolean }
  | { kind: "drop"; i: number; at: number }
  | { kind: "swap"; i: number; a: number; b: number }
  | { kind: "mix"; i: number; j: number; at: number }
  | { kind: "extra"; i: number; j: number; value: string | undefined }
  | { kind: "mutated"; i: number; at: number; where: number; op: "replace" | "insert" | "delete"; ch: string }
  | { kind: "foreign"; set: keyof ForeignParts; i: number }
  | { kind: "junk"; chunk: number; value: string }
  | { kind: "other"; name: string; value: string }
  | { kind: "otherValid"; name: string; i: number };

/** A generated chunked header, or raw bytes. */
export type ChunkHeaderCase = { raw: string } | { fragments: ChunkFragment[]; separators: string[] };

/** What a rendered chunked header holds, for the oracle and for checking deletions. */
export interface ChunkRendered extends Rendered {
  /** Chunk indices (0 = the session's own name) that the header carries a value for. */
  present: Set<number>;
}

const unit = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const pick = (length: number, at: number) => Math.floor(at * length);
const chunkName = (index: number) => (index === 0 ? NAME : `${NAME}.${index}`);

/** Chunked headers around a pool of `pool` valid cookies and `foreignPool` foreign ones of each kind. */
export function chunkHeaderCase(pool: number, foreignPool: number, chunks: number): fc.Arbitrary<ChunkHeaderCase> {
  const i = fc.nat(pool - 1);
  const notOurs = otherName.filter((name) => !/^session\.\d+$/.test(name.trim()));
  const fragment: fc.Arbitrary<ChunkFragment> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("whole" as const), i, reverse: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("drop" as const), i, at: unit }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("swap" as const), i, a: unit, b: unit }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("mix" as const), i, j: i, at: unit }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("extra" as const), i, j: i, value: fc.option(junkValue, { nil: undefined }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("mutated" as const),
        i,
        at: unit,
        where: unit,
        op: fc.constantFrom("replace" as const, "insert" as const, "delete" as const),
        ch: fc.oneof(SEAL_CHAR, HEADER_CHAR.filter((ch) => ch !== ";")),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("foreign" as const), set: fc.constantFrom("otherName" as const, "otherSecret" as const, "expired" as const), i: fc.nat(foreignPool - 1) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("junk" as const), chunk: fc.nat(chunks - 1), value: junkValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("other" as const), name: notOurs, value: junkValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("otherValid" as const), name: notOurs, i }) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(fragment, { minLength: 1, maxLength: 5 }).chain((fragments) =>
      fc.record({ fragments: fc.constant(fragments), separators: fc.array(SEPARATOR, { minLength: fragments.length, maxLength: fragments.length }) }),
    ) },
    { weight: 1, arbitrary: fc.record({ raw: headerString(300) }) },
    { weight: 1, arbitrary: fc.record({ raw: fc.oneof(binaryString, binaryString.map((s) => `${NAME}.1=${s}; ${NAME}=${s}`)) }) },
  );
}

interface Piece {
  /** The value the jar sees under this chunk name. */
  actual: string;
  /** What it would be had a mutation been harmless. */
  original: string;
  mutated: boolean;
}

function mutate(value: string, { op, where, ch }: Extract<ChunkFragment, { kind: "mutated" }>): string {
  const pos = pick(value.length + (op === "insert" ? 1 : 0), where);
  if (op === "insert") return value.slice(0, pos) + ch + value.slice(pos);
  if (op === "delete") return value.slice(0, pos) + value.slice(pos + 1);
  return value.slice(0, pos) + ch + value.slice(pos + 1);
}

/** The chunk pairs a fragment puts in the header: [chunk index or other name, piece]. */
function pairsOf(f: ChunkFragment, valid: readonly Parts[], foreign: ForeignParts, chunks: number): [number | string, Piece][] {
  const plain = (parts: Parts) => parts.map((actual, k): [number, Piece] => [k, { actual, original: actual, mutated: false }]);
  switch (f.kind) {
    case "whole": {
      const pairs = plain(valid[f.i]!);
      return f.reverse ? pairs.reverse() : pairs;
    }
    case "drop": {
      const parts = valid[f.i]!;
      const k = pick(parts.length, f.at);
      return plain(parts).filter(([index]) => index !== k);
    }
    case "swap": {
      const parts = [...valid[f.i]!];
      const [a, b] = [pick(parts.length, f.a), pick(parts.length, f.b)];
      [parts[a], parts[b]] = [parts[b]!, parts[a]!];
      return plain(parts);
    }
    case "mix": {
      const parts = [...valid[f.i]!];
      const k = pick(parts.length, f.at);
      const theirs = valid[f.j]![k];
      if (theirs === undefined) parts.splice(k, 1);
      else parts[k] = theirs;
      return plain(parts);
    }
    case "extra": {
      const parts = valid[f.i]!;
      if (parts.length >= chunks) return plain(parts);
      const value = f.value === undefined ? valid[f.j]![valid[f.j]!.length - 1]! : asParsed(f.value);
      return [...plain(parts), [parts.length, { actual: value, original: value, mutated: false }]];
    }
    case "mutated": {
      const pairs = plain(valid[f.i]!);
      const k = pick(pairs.length, f.at);
      const piece = pairs[k]![1];
      pairs[k] = [k, { actual: asParsed(mutate(piece.actual, f)), original: piece.actual, mutated: true }];
      return pairs;
    }
    case "foreign":
      return plain(foreign[f.set][f.i]!);
    case "junk":
      return [[f.chunk, { actual: asParsed(f.value), original: asParsed(f.value), mutated: false }]];
    case "other":
      return [[f.name, { actual: f.value, original: f.value, mutated: false }]];
    case "otherValid":
      return [[f.name, { actual: valid[f.i]![0]!, original: valid[f.i]![0]!, mutated: false }]];
  }
}

// The jar tries the first this many values of one cookie name, then the last (MAX_CANDIDATES in src/jar.ts).
const CANDIDATES = 4;

/** Turns a generated chunked case into a header and says what it must open. */
export function renderChunks(
  generated: ChunkHeaderCase | HeaderCase,
  valid: readonly Parts[],
  foreign: ForeignParts,
  chunks: number,
  wellFormed: (value: string) => boolean,
): ChunkRendered {
  const none = { allowed: new Set<number>(), rightful: undefined, exact: true, present: new Set<number>() };
  if ("raw" in generated) return { header: generated.raw, ...none, present: presentIn(generated.raw, chunks) };
  const columns: Piece[][] = Array.from({ length: chunks }, () => []);
  const rendered: string[] = [];
  for (const f of generated.fragments as ChunkFragment[]) {
    for (const [where, piece] of pairsOf(f, valid, foreign, chunks)) {
      if (typeof where === "number") columns[where]!.push(piece);
      // Mutated and junk values go in as generated: the parser's trimming is in `actual`.
      const raw =
        f.kind === "junk" || (f.kind === "extra" && f.value !== undefined && where === valid[f.i]!.length)
          ? f.value!
          : f.kind === "mutated" && piece.mutated
            ? mutate(piece.original, f)
            : piece.actual;
      rendered.push(`${typeof where === "number" ? chunkName(where) : where}=${raw}`);
    }
  }
  const { separators } = generated;
  const header = rendered.map((pair, n) => pair + separators[n % separators.length]).join("");
  const present = new Set(columns.flatMap((column, k) => (column.length > 0 ? [k] : [])));
  // What a valid cookie's chunks join to: the count its first chunk carries is not part of it.
  const joined = valid.map((parts) => parts.join("").replace(COUNTED, ""));
  const allowed = new Set<number>();
  // The candidates, in order, as the jar builds them; joined values of the wrong shape are skipped
  // unread and do not count: the first CANDIDATES that count are tried, then the last one.
  const candidates: { certain: number; maybe: number }[] = [];
  for (let j = 0; j < columns[0]!.length; j++) {
    const actual = joinAt(columns, j, chunks, "actual");
    if (actual === undefined) continue;
    const original = joinAt(columns, j, chunks, "original");
    const mutated = columns.some((column) => column[j]?.mutated);
    const certain = joined.indexOf(actual);
    const maybe = mutated && original !== undefined ? joined.indexOf(original) : -1;
    if (certain >= 0) allowed.add(certain);
    if (maybe >= 0) allowed.add(maybe);
    if (wellFormed(actual)) candidates.push({ certain, maybe });
  }
  const tried = candidates.length > CANDIDATES + 1 ? [...candidates.slice(0, CANDIDATES), candidates.at(-1)!] : candidates;
  let outcome: { rightful: number | undefined; exact: boolean } = { rightful: undefined, exact: true };
  for (const { certain, maybe } of tried) {
    if (certain >= 0) outcome = { rightful: certain, exact: true };
    else if (maybe >= 0) outcome = { rightful: undefined, exact: false };
    else continue;
    break;
  }
  return { header, allowed, present, ...outcome };
}

// The count a chunked session's first chunk starts with (src/chunks.ts).
const COUNTED = /^(\d{1,2})~/;

/**
 * The j-th value of the session as the jar joins it (src/chunks.ts `joinChunks`): the first chunk
 * alone without a count, else it and the j-th values of the next chunks up to its count; undefined
 * when a counted chunk is missing or the count is out of range.
 */
function joinAt(columns: Piece[][], j: number, chunks: number, which: "actual" | "original"): string | undefined {
  const first = columns[0]![j]![which];
  const counted = COUNTED.exec(first);
  if (!counted) return first;
  const count = Number(counted[1]);
  if (count < 2 || count > chunks) return undefined;
  let whole = first.slice(counted[0].length);
  for (let k = 1; k < count; k++) {
    const piece = columns[k]?.[j];
    if (!piece) return undefined;
    whole += piece[which];
  }
  return whole;
}

/** The chunk indices a raw header carries (for the deletion check only). */
function presentIn(header: string, chunks: number): Set<number> {
  const present = new Set<number>();
  for (const pair of header.split(";")) {
    const name = pair.slice(0, pair.indexOf("=")).trim();
    if (pair.includes("=")) for (let k = 0; k < chunks; k++) if (name === chunkName(k)) present.add(k);
  }
  return present;
}
