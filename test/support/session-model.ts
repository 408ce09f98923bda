/**
 * A plain model of what one session must hold, for the model-based lifecycle test (test/model.test.ts):
 * the operations a request may run, what each returns, and what the session holds after one
 * request, or after two concurrent requests on one server-side session (merged per key, DESIGN).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One call on the session inside a request; `expire` is `options({ maxAge: 0 })`. */
export type Op =
  | { op: "set"; key: string; value: Json }
  | { op: "delete"; key: string }
  | { op: "clear" }
  | { op: "addFlash"; key: string; value: Json }
  | { op: "flashes"; key: string }
  | { op: "regenerate" }
  | { op: "destroy" }
  | { op: "expire" }
  | { op: "save" };

/** A flash kept one by one: `id` names it across requests, as a server store's flash ids do. */
export interface Item {
  id: number;
  value: Json;
}

/** What a key holds: a plain value, or flashes. */
export type Slot = { plain: Json } | { flashes: Item[] };
export type ModelData = Map<string, Slot>;

/** What `get(key)` answers for each key. */
export function view(data: ModelData): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, slot] of data) out[key] = "plain" in slot ? slot.plain : slot.flashes.map((item) => item.value);
  return out;
}

/** What a request's saves did to the session it loaded, as a server store applies it. */
export type Effect =
  | { kind: "none" }
  | { kind: "delta"; changed: Map<string, Slot>; deleted: Set<string>; flashes: Map<string, { taken: Set<number>; added: Item[] }> }
  | { kind: "replace"; data: ModelData }
  | { kind: "move"; data: ModelData }
  | { kind: "destroy" };

export interface RequestOutcome {
  /** What each op returned: the array for `flashes`, null for the others. */
  results: (Json[] | null)[];
  /** Whether a session is stored under the cookie the response leaves, and what it holds. */
  stored: boolean;
  data: ModelData;
  /** Whether the response carries a Set-Cookie (a save that wrote, or a destroy). */
  setsCookie: boolean;
  /** Whether the id the request loaded stops working (destroyed, expired, or regenerated and saved). */
  retiresLoaded: boolean;
  effect: Effect;
}

/**
 * Runs `ops` on a session loaded as `loaded` (undefined: no live session), then saves: the
 * sequential semantics. `gone`: another request destroyed or regenerated the loaded session
 * since; the first save that would update it writes nothing, sends no cookie, and the request
 * goes on with a new, empty session (DESIGN, "destroy() is final").
 */
export function runRequest(loaded: ModelData | undefined, ops: Op[], newItem: () => number, gone = false): RequestOutcome {
  let data: ModelData = new Map(loaded);
  let stored = loaded !== undefined;
  // Whether a save updates the entry the request loaded (rather than writing a new id).
  let updatesLoaded = stored;
  let modified = false;
  let expire = false;
  let setsCookie = false;
  let retiresLoaded = false;
  // For the effect on the loaded entry: plain keys set or deleted, and whether it was written whole.
  const changed = new Set<string>();
  const deleted = new Set<string>();
  // Keys that held flashes during the request: a store writes them flash by flash.
  const flashKeys = new Set<string>();
  let cleared = false;
  let regenerated = false;
  let destroyed = false;

  const remove = (key: string) => {
    data.delete(key);
    changed.delete(key);
    deleted.add(key);
    modified = true;
  };
  const destroy = () => {
    if (loaded) retiresLoaded = destroyed = true;
    data = new Map();
    stored = modified = expire = updatesLoaded = false;
    setsCookie = true;
  };
  const save = () => {
    if (!modified) return;
    if (expire) return destroy();
    if (gone && updatesLoaded) {
      data = new Map();
      stored = modified = updatesLoaded = false;
      return;
    }
    if (regenerated && loaded) retiresLoaded = true;
    stored = setsCookie = true;
    modified = false;
  };

  const results = ops.map((op): Json[] | null => {
    switch (op.op) {
      case "set":
        data.set(op.key, { plain: op.value });
        changed.add(op.key);
        deleted.delete(op.key);
        modified = true;
        return null;
      case "delete":
        if (data.has(op.key)) remove(op.key);
        return null;
      case "clear":
        if (data.size === 0) return null;
        data = new Map();
        changed.clear();
        deleted.clear();
        cleared = modified = true;
        return null;
      case "addFlash": {
        const slot = data.get(op.key);
        const items = !slot ? [] : "flashes" in slot ? [...slot.flashes] : toList(slot.plain).map((value) => ({ id: newItem(), value }));
        items.push({ id: newItem(), value: op.value });
        data.set(op.key, { flashes: items });
        flashKeys.add(op.key);
        changed.add(op.key);
        deleted.delete(op.key);
        modified = true;
        return null;
      }
      case "flashes": {
        const slot = data.get(op.key);
        if (!slot) return [];
        remove(op.key);
        return "plain" in slot ? toList(slot.plain) : slot.flashes.map((item) => item.value);
      }
      case "regenerate":
        regenerated = cleared = modified = true;
        updatesLoaded = false;
        return null;
      case "destroy":
        destroy();
        return null;
      case "expire":
        expire = modified = true;
        return null;
      case "save":
        save();
        return null;
    }
  });
  save();

  const effect: Effect = !setsCookie
    ? { kind: "none" }
    : destroyed
      ? { kind: "destroy" }
      : regenerated
        ? { kind: "move", data }
        : cleared
          ? { kind: "replace", data }
          : delta(loaded ?? new Map(), data, changed, deleted, flashKeys);
  return { results, stored, data: stored ? data : new Map(), setsCookie, retiresLoaded, effect };
}

function toList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

function delta(loaded: ModelData, data: ModelData, changed: Set<string>, deleted: Set<string>, flashKeys: Set<string>): Effect {
  const plain = new Map<string, Slot>();
  const flashes = new Map<string, { taken: Set<number>; added: Item[] }>();
  for (const key of new Set([...loaded.keys(), ...data.keys(), ...changed, ...deleted])) {
    const before = loaded.get(key);
    const after = data.get(key);
    if ((before && "flashes" in before) || (after && "flashes" in after) || flashKeys.has(key)) {
      const beforeItems = before && "flashes" in before ? before.flashes : [];
      const afterItems = after && "flashes" in after ? after.flashes : [];
      const kept = new Set(afterItems.map((item) => item.id));
      const had = new Set(beforeItems.map((item) => item.id));
      flashes.set(key, { taken: new Set([...had].filter((id) => !kept.has(id))), added: afterItems.filter((item) => !had.has(item.id)) });
    } else if (changed.has(key)) plain.set(key, after!);
  }
  return { kind: "delta", changed: plain, deleted: new Set([...deleted].filter((key) => !flashes.has(key))), flashes };
}

/** Applies a delta to what the entry holds now: changed keys replace, deleted go, flashes by id. */
export function applyDelta(current: ModelData, effect: Extract<Effect, { kind: "delta" }>): ModelData {
  const next = new Map(current);
  for (const key of effect.deleted) next.delete(key);
  for (const [key, slot] of effect.changed) next.set(key, slot);
  for (const [key, { taken, added }] of effect.flashes) {
    const slot = next.get(key);
    const items = [...(slot && "flashes" in slot ? slot.flashes : []).filter((item) => !taken.has(item.id)), ...added];
    if (items.length > 0) next.set(key, { flashes: items });
    else next.delete(key);
  }
  return next;
}
