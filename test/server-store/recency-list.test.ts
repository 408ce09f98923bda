import { describe, expect, it } from "vitest";
import { RecencyList } from "../../src/server-store/recency-list.ts";
import type { Linked } from "../../src/server-store/recency-list.ts";

interface Item extends Linked<Item> {
  name: string;
}

const item = (name: string): Item => ({ name, older: undefined, newer: undefined, list: undefined });

/** The names from oldest to newest, walked both ways so each link is checked. */
function order(list: RecencyList<Item>): string[] {
  const forward: string[] = [];
  for (let at = list.oldest; at; at = at.newer) forward.push(at.name);
  const backward: string[] = [];
  for (let at = list.newest; at; at = at.older) backward.unshift(at.name);
  expect(backward).toEqual(forward);
  return forward;
}

describe("RecencyList", () => {
  it("moves a touched entry to the newest end, from the middle or either end", () => {
    const list = new RecencyList<Item>();
    const [a, b, c] = ["a", "b", "c"].map(item) as [Item, Item, Item];
    for (const entry of [a, b, c]) list.touch(entry);
    expect(order(list)).toEqual(["a", "b", "c"]);
    list.touch(b);
    expect(order(list)).toEqual(["a", "c", "b"]);
    list.touch(b);
    expect(order(list)).toEqual(["a", "c", "b"]);
    list.touch(a);
    expect(order(list)).toEqual(["c", "b", "a"]);
  });

  it("unlinks an entry from the middle or either end, and leaves it unlinked", () => {
    const list = new RecencyList<Item>();
    const [a, b, c, d] = ["a", "b", "c", "d"].map(item) as [Item, Item, Item, Item];
    for (const entry of [a, b, c, d]) list.touch(entry);
    list.unlink(b);
    expect(order(list)).toEqual(["a", "c", "d"]);
    expect(b).toMatchObject({ older: undefined, newer: undefined, list: undefined });
    list.unlink(d);
    expect(order(list)).toEqual(["a", "c"]);
    list.unlink(a);
    expect(order(list)).toEqual(["c"]);
    list.unlink(c);
    expect(order(list)).toEqual([]);
    expect([list.oldest, list.newest]).toEqual([undefined, undefined]);
  });

  it("unlink() leaves alone an entry of another list, or of none", () => {
    const [mine, theirs] = [new RecencyList<Item>(), new RecencyList<Item>()];
    const [a, b, x, y] = ["a", "b", "x", "y"].map(item) as [Item, Item, Item, Item];
    for (const entry of [a, b]) mine.touch(entry);
    for (const entry of [x, y]) theirs.touch(entry);
    mine.unlink(y);
    mine.unlink(item("loose"));
    expect(order(mine)).toEqual(["a", "b"]);
    expect(order(theirs)).toEqual(["x", "y"]);
    expect(y.list).toBe(theirs);
    // Touching an entry of another list moves it over.
    mine.touch(x);
    expect(order(mine)).toEqual(["a", "b", "x"]);
    expect(order(theirs)).toEqual(["y"]);
  });
});
