import { describe, expect, it } from "vitest";
import { ownerOf, planWrite } from "../../src/server-store/write-plan.ts";
import type { FlashWrite, SessionWrite } from "../../src/store.ts";

/** A save of session "s1" that changed nothing, with `parts` filled in. */
function write(parts: Partial<SessionWrite>): SessionWrite {
  return {
    id: "s1",
    previousId: undefined,
    data: new Map(),
    changed: new Set(),
    deleted: new Set(),
    cleared: false,
    createdAt: 1_000,
    expiresAt: 61_000,
    flashes: new Map(),
    flashIds: new Map(),
    ...parts,
  };
}

const flash = (taken: string[], added: Array<[string, unknown]>): FlashWrite => ({ taken, added });

describe("ownerOf", () => {
  it("names a non-empty string or a finite number (as its decimal text), nothing else", () => {
    expect(ownerOf("ada")).toBe("ada");
    expect(ownerOf(42)).toBe("42");
    expect(ownerOf(-1.5)).toBe("-1.5");
    for (const value of ["", NaN, Infinity, -Infinity, true, null, undefined, {}, ["ada"]]) expect(ownerOf(value)).toBeUndefined();
  });
});

describe("planWrite", () => {
  it("writes only the changed keys of a save that neither cleared nor regenerated, and the time of the save as last seen", () => {
    const before = Date.now();
    const plan = planWrite(
      write({ data: new Map<string, unknown>([["a", 1], ["b", { x: 2 }], ["kept", 3]]), changed: new Set(["a", "b"]), deleted: new Set(["gone"]) }),
      undefined,
    );
    expect(plan).toEqual({
      id: "s1",
      previousId: undefined,
      mustExist: false,
      whole: false,
      set: [["a", "1"], ["b", '{"x":2}']],
      deleted: ["gone"],
      added: [],
      taken: [],
      owner: undefined,
      createdAt: 1_000,
      expiresAt: 61_000,
      lastSeenAt: expect.any(Number),
    });
    expect(plan.lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(plan.lastSeenAt).toBeLessThanOrEqual(Date.now());
  });

  it("rewrites the whole entry after regenerate(), with its flashes one by one", () => {
    const plan = planWrite(
      write({
        id: "s2",
        previousId: "s1",
        mustExist: true,
        data: new Map<string, unknown>([["a", 1], ["note", ["hi", "there"]], ["odd", [1, 2]]]),
        // "odd" has fewer ids than values: it is stored as one plain value, not as flashes.
        flashIds: new Map([["note", ["f1", "f2"]], ["odd", ["f3"]]]),
      }),
      undefined,
    );
    expect(plan).toMatchObject({ id: "s2", previousId: "s1", mustExist: true, whole: true, deleted: [], taken: [], owner: undefined });
    expect(plan.set).toEqual([["a", "1"], ["odd", "[1,2]"]]);
    expect(plan.added).toEqual([["note", "f1", '"hi"'], ["note", "f2", '"there"']]);
  });

  it("rewrites the whole entry after clear()", () => {
    const plan = planWrite(write({ cleared: true, data: new Map([["a", 1]]), flashIds: new Map([["a", ["f1"]]]) }), undefined);
    // A flash id for a value that is not a list: the value stays plain.
    expect(plan).toMatchObject({ whole: true, set: [["a", "1"]], deleted: [], added: [], taken: [] });
  });

  it("applies flash changes one by one, and drops a plain value the flashes replace", () => {
    const plan = planWrite(
      write({
        data: new Map<string, unknown>([["note", ["new"]], ["old", []], ["plain", "v"]]),
        changed: new Set(["note", "plain"]),
        deleted: new Set(["old"]),
        flashes: new Map([["note", flash(["f1"], [["f3", "new"]])], ["old", flash(["f2"], [])]]),
        flashIds: new Map([["note", ["f3"]]]),
      }),
      undefined,
    );
    expect(plan.set).toEqual([["plain", '"v"']]);
    // "note" now holds flashes, so a plain "note" stored before goes; "old" is deleted once.
    expect(plan.deleted).toEqual(["old", "note"]);
    expect(plan.taken).toEqual([["note", "f1"], ["old", "f2"]]);
    expect(plan.added).toEqual([["note", "f3", '"new"']]);
  });

  it("changes the owner only when the save touched the owner key, or rewrote the entry", () => {
    const data = new Map<string, unknown>([["userId", 7], ["theme", "dark"]]);
    expect(planWrite(write({ data, changed: new Set(["theme"]) }), "userId").owner).toBeUndefined();
    expect(planWrite(write({ data, changed: new Set(["userId"]) }), "userId").owner).toBe("7");
    expect(planWrite(write({ data: new Map(), deleted: new Set(["userId"]) }), "userId").owner).toBeNull();
    expect(planWrite(write({ data, cleared: true }), "userId").owner).toBe("7");
    expect(planWrite(write({ data: new Map([["theme", "dark"]]), previousId: "s0" }), "userId").owner).toBeNull();
    expect(planWrite(write({ data, cleared: true }), undefined).owner).toBeUndefined();
  });
});
