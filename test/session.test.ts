import { describe, expect, it } from "vitest";
import { Session, SessionState } from "../src/session.ts";
import type { SessionOwner } from "../src/session.ts";

// A unit test of change tracking; the conformance suite covers the same through real stores.
function fresh<Data extends Record<string, unknown> = Record<string, unknown>>(data: Record<string, unknown> = {}) {
  const state = new SessionState("s", { id: "id-1", data: new Map(Object.entries(data)), createdAt: 1, expiresAt: 2 });
  const saves: SessionState[] = [];
  const owner: SessionOwner = {
    save: async (s) => void saves.push(s),
    destroy: async () => {},
  };
  return { state, session: new Session<Data>(state, owner), saves };
}

describe("Session change tracking", () => {
  it("reading modifies nothing", () => {
    const { state, session } = fresh({ a: 1 });
    session.get("a");
    session.get("missing");
    expect(session.flashes()).toEqual([]);
    session.delete("missing");
    expect(state.modified).toBe(false);
  });

  it("records set and delete keys", () => {
    const { state, session } = fresh({ a: 1, b: 2 });
    session.set("c", 3);
    session.delete("a");
    expect(state.modified).toBe(true);
    expect([...state.changed]).toEqual(["c"]);
    expect([...state.deleted]).toEqual(["a"]);
    session.set("a", 9);
    expect([...state.deleted]).toEqual([]);
    expect([...state.changed]).toEqual(["c", "a"]);
  });

  it("treats set(key, undefined) as delete", () => {
    const { state, session } = fresh({ a: 1 });
    session.set("a", undefined);
    expect(session.get("a")).toBeUndefined();
    expect([...state.deleted]).toEqual(["a"]);
  });

  it("clear() of an empty session is not a modification; of a full one it is", () => {
    expect((() => { const f = fresh(); f.session.clear(); return f.state.modified; })()).toBe(false);
    const { state, session } = fresh({ a: 1 });
    session.clear();
    expect(state).toMatchObject({ modified: true, cleared: true });
    expect(session.get("a")).toBeUndefined();
  });

  it("queues flashes per key and returns them once", () => {
    const { state, session } = fresh();
    session.addFlash("one");
    session.addFlash({ two: 2 });
    session.addFlash("warn", "warnings");
    expect(session.flashes("warnings")).toEqual(["warn"]);
    expect(session.flashes()).toEqual(["one", { two: 2 }]);
    expect(session.flashes()).toEqual([]);
    expect(state.deleted.has("_flash")).toBe(true);
  });

  it("options() refuses what no browser would accept", () => {
    const { state, session } = fresh();
    for (const bad of [{ maxAge: Number.NaN }, { sameSite: "loose" as "Lax" }, { path: "relative" }]) {
      expect(() => session.options(bad)).toThrow(expect.objectContaining({ code: "ERR_SESSION_CONFIG" }));
    }
    expect(state.modified).toBe(false);
  });

  it("options() counts as a modification", () => {
    const { state, session } = fresh();
    session.options({ maxAge: 5 });
    expect(state).toMatchObject({ modified: true, options: { maxAge: 5 } });
  });

  it("options() keeps path and domain with the data, out of sight, through regenerate() and clear()", async () => {
    const { state, session } = fresh({ a: 1 });
    session.options({ path: "/app", maxAge: 5 });
    expect(state.data.get("web-sessions:cookie")).toEqual({ path: "/app" });
    expect(session.get("web-sessions:cookie")).toBeUndefined();
    await session.regenerate();
    expect([...state.changed]).toEqual(["a", "web-sessions:cookie"]);
    session.clear();
    expect([...state.data]).toEqual([["web-sessions:cookie", { path: "/app" }]]);
    session.options({ path: undefined });
    expect(state.data.has("web-sessions:cookie")).toBe(false);
    // A later request's state picks the placement up from the stored data.
    const later = new SessionState("s", { id: "id-2", data: new Map([["web-sessions:cookie", { path: "/app", domain: "example.com" }]]), createdAt: 1, expiresAt: 2 });
    expect(later.options).toEqual({ path: "/app", domain: "example.com" });
    const tampered = new SessionState("s", { id: "id-3", data: new Map([["web-sessions:cookie", { path: "/a;Domain=evil" }]]), createdAt: 1, expiresAt: 2 });
    expect(tampered.options).toEqual({});
  });

  it("regenerate() gives a new id, keeps data, remembers the old id", async () => {
    const { state, session } = fresh({ a: 1 });
    await session.regenerate();
    await session.regenerate();
    expect(session.id).not.toBe("id-1");
    expect(session.get("a")).toBe(1);
    expect(state).toMatchObject({ previousId: "id-1", cleared: true, modified: true, stored: false });
    expect([...state.changed]).toEqual(["a"]);
  });

  it("save() hands the state to its owner", async () => {
    const { state, session, saves } = fresh();
    session.set("a", 1);
    await session.save();
    expect(saves).toEqual([state]);
  });

  it("reports id, isNew and name", () => {
    const { session } = fresh();
    expect([session.id, session.isNew, session.name]).toEqual(["id-1", false, "s"]);
    const created = new Session(new SessionState("t"), { save: async () => {}, destroy: async () => {} });
    expect(created.isNew).toBe(true);
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("types data through a generic", () => {
    const { session } = fresh<{ count: number }>({ count: 1 });
    const count: number | undefined = session.get("count");
    // @ts-expect-error: "count" holds a number
    session.set("count", "one");
    expect(count).toBe(1);
  });
  it("options() stores only the path or domain it was given, and a maxAge alone changes no data", () => {
    const domainOnly = fresh();
    domainOnly.session.options({ domain: "example.com" });
    expect(domainOnly.state.data.get("web-sessions:cookie")).toStrictEqual({ domain: "example.com" });
    const pathOnly = fresh();
    pathOnly.session.options({ path: "/app" });
    expect(pathOnly.state.data.get("web-sessions:cookie")).toStrictEqual({ path: "/app" });
    const browserOnly = fresh();
    browserOnly.session.options({ persistent: false });
    expect(browserOnly.state.data.get("web-sessions:cookie")).toStrictEqual({ persistent: false });
    expect(browserOnly.state.changed.has("web-sessions:cookie")).toBe(true);
    const placed = fresh({ "web-sessions:cookie": { path: "/app" } });
    placed.session.options({ maxAge: 5 });
    expect([placed.state.modified, [...placed.state.changed]]).toEqual([true, []]);
  });

  it("reads a stored persistent flag back, and ignores one that is not a boolean", () => {
    expect(fresh({ "web-sessions:cookie": { persistent: false } }).state.options).toStrictEqual({ persistent: false });
    expect(fresh({ "web-sessions:cookie": { path: "/app", persistent: "no" } }).state.options).toStrictEqual({});
  });

  it("clear() of a session holding only its placement is not a modification", () => {
    const { state, session } = fresh({ "web-sessions:cookie": { path: "/app" } });
    session.clear();
    expect([state.modified, state.cleared, [...state.data.keys()]]).toEqual([false, false, ["web-sessions:cookie"]]);
  });

  it("a stored placement that is not an object is ignored", () => {
    for (const value of [null, undefined, "/app", 5]) {
      const state = new SessionState("s", { id: "id-1", data: new Map([["web-sessions:cookie", value]]), createdAt: 1, expiresAt: 2 });
      expect([value, state.options]).toEqual([value, {}]);
    }
  });

  it("setting or deleting a plain key records no flash change", () => {
    const { state, session } = fresh({ a: 1 });
    session.set("b", 2);
    session.delete("a");
    expect([...state.flashes.keys()]).toEqual([]);
  });

  it("flashes added and replaced before a save are dropped, not marked taken", () => {
    const { state, session } = fresh();
    session.addFlash("x");
    expect(state.flashes.get("_flash")).toEqual({ taken: [], added: [[state.flashIds.get("_flash")![0], "x"]] });
    session.set("_flash" as never, "plain" as never);
    expect(state.flashes.get("_flash")).toEqual({ taken: [], added: [] });
    // Stored flashes, in contrast, are marked taken.
    const stored = new SessionState("s", { id: "id-1", data: new Map([["_flash", ["old"]]]), createdAt: 1, expiresAt: 2, flashIds: new Map([["_flash", ["f1"]]]) });
    stored.set("_flash", "plain");
    expect(stored.flashes.get("_flash")).toEqual({ taken: ["f1"], added: [] });
  });

  it("gives flash ids of base-36 characters that sort in the order the flashes were added", () => {
    const { state, session } = fresh();
    for (let i = 0; i < 50; i++) session.addFlash(i);
    const ids = state.flashIds.get("_flash")!;
    expect(ids.every((id) => /^[0-9a-z]{20}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it("after a save, the state is the unmodified baseline", () => {
    const { state, session } = fresh({ a: 1 });
    session.clear();
    state.markSaved(10);
    expect(state).toMatchObject({ modified: false, cleared: false, stored: true, expiresAt: 10 });
  });
});
