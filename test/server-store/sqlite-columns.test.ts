// The SQLite driver's pieces that need no database: the merge patches a save sends, a row read
// back (rows it did not write open nothing), and how a client is told apart by its shape. The
// stores' tests run all of this against real databases too.
import { describe, expect, it } from "vitest";
import { dataPatch, flashesPatch, toStoredSession, valuesOf } from "../../src/server-store/sqlite/columns.ts";
import { BUSY_TIMEOUT_MS, connect } from "../../src/server-store/sqlite/connection.ts";
import { SqliteDriver } from "../../src/server-store/sqlite/driver.ts";
import type { SqlConnection } from "../../src/server-store/sqlite/connection.ts";
import type { WritePlan } from "../../src/server-store/write-plan.ts";
import { SessionError } from "../../src/errors.ts";

const plan = (changes: Partial<WritePlan>): WritePlan => ({
  id: "id",
  previousId: undefined,
  mustExist: true,
  whole: false,
  set: [],
  deleted: [],
  added: [],
  taken: [],
  owner: undefined,
  createdAt: 1,
  expiresAt: 2,
  lastSeenAt: 1,
  ...changes,
});

describe("SQLite merge patches", () => {
  it("sets keys to their JSON text and deletes keys with null; a key deleted and set again is set", () => {
    expect(dataPatch(plan({}))).toBe("{}");
    const patch = dataPatch(plan({ set: [["a.b", '"123"'], ["__proto__", "1"]], deleted: ["gone", "a.b"] }));
    expect(patch).toBe('{"gone":null,"a.b":"\\"123\\"","__proto__":"1"}');
    expect(Object.entries(JSON.parse(patch))).toEqual([["gone", null], ["a.b", '"123"'], ["__proto__", "1"]]);
  });

  it("adds flashes by id as [key, JSON text] and takes them by id", () => {
    expect(flashesPatch(plan({ taken: [["_flash", "f1"]], added: [["_flash", "f2", '"hi"'], ["note", "f3", "1"]] }))).toBe(
      '{"f1":null,"f2":["_flash","\\"hi\\""],"f3":["note","1"]}',
    );
  });
});

describe("listed values of a SQLite row", () => {
  it("reads the JSON text of each key it wrote, and nothing from a column that is not its JSON object", () => {
    const values = valuesOf(String.raw`{"n":"1","device":5,"__proto__":"\"odd\""}`);
    expect(["n", "device", "toString", "__proto__", "missing"].map(values)).toEqual([1, undefined, undefined, "odd", undefined]);
    for (const column of [null, undefined, "not json", "[1]", 7]) expect(valuesOf(column)("n")).toBeUndefined();
  });
});

describe("a SQLite row read back", () => {
  const row = (changes: Record<string, unknown> = {}) => ({
    data: JSON.stringify({ count: "2", s: '"123"', "": "null" }),
    flashes: JSON.stringify({ b: ["note", '"second"'], a: ["note", '"first"'], c: ["_flash", "3"], ab: ["note", '"between"'] }),
    created_at: 1000,
    expires_at: 5000,
    last_seen_at: 3000,
    ...changes,
  });

  it("decodes values, and orders each key's flashes by their ids", () => {
    expect(toStoredSession("id", row())).toEqual({
      id: "id",
      data: new Map<string, unknown>([
        ["count", 2],
        ["s", "123"],
        ["", null],
        ["note", ["first", "between", "second"]],
        ["_flash", [3]],
      ]),
      createdAt: 1000,
      expiresAt: 5000,
      lastSeenAt: 3000,
      flashIds: new Map([
        ["note", ["a", "ab", "b"]],
        ["_flash", ["c"]],
      ]),
    });
  });

  it("reads times given as BigInt or numeric text (safe-integer modes of some clients)", () => {
    expect(toStoredSession("id", row({ created_at: 1000n, expires_at: "5000" }))).toMatchObject({ createdAt: 1000, expiresAt: 5000 });
  });

  it("skips values and flashes it did not write: not JSON text, not [key, JSON text]", () => {
    const odd = row({
      data: JSON.stringify({ ok: "1", number: 5, bad: "not json", nested: { a: "1" } }),
      flashes: JSON.stringify({ a: ["k", "1"], b: "1", c: ["k"], d: [1, "1"], e: ["k", 2], f: ["k", "not json"] }),
    });
    expect(toStoredSession("id", odd)).toEqual({
      id: "id",
      data: new Map<string, unknown>([
        ["ok", 1],
        ["k", [1]],
      ]),
      createdAt: 1000,
      expiresAt: 5000,
      lastSeenAt: 3000,
      flashIds: new Map([["k", ["a"]]]),
    });
  });

  it.each([
    ["data that is not JSON", { data: "{" }],
    ["data that is an array", { data: "[]" }],
    ["data that is null", { data: "null" }],
    ["data that is not text", { data: 5 }],
    ["data in a BLOB (a Buffer)", { data: Buffer.from(JSON.stringify({ count: "2" })) }],
    ["flashes that are not an object", { flashes: '"x"' }],
    ["a creation time that is not a number", { created_at: "soon" }],
    ["no creation time", { created_at: undefined }],
    ["an expiry that is not a number", { expires_at: null }],
    ["an empty expiry", { expires_at: "" }],
    ["an expiry of another type", { expires_at: true }],
  ])("opens nothing from a row with %s", (_label, changes) => {
    expect(toStoredSession("id", row(changes as Record<string, unknown>))).toBeUndefined();
  });
});

describe("SQLite clients told apart by shape", () => {
  const log: string[] = [];
  const syncDb = (timeout: number) => ({
    exec() {},
    prepare(sql: string) {
      log.push(`prepare ${sql}`);
      return {
        run: (...args: unknown[]) => (log.push(`run ${sql} ${JSON.stringify(args)}`), { changes: 3n }),
        all: (...args: unknown[]) => (log.push(`all ${sql} ${JSON.stringify(args)}`), sql === "PRAGMA busy_timeout" ? [{ timeout }] : [{ x: 1 }]),
      };
    },
  });

  it("refuses what is none of the clients", () => {
    for (const db of [undefined, null, "file:x.db", 5, {}, { prepare() {} }, { exec() {} }, { execute() {} }, { batch() {} }]) {
      expect(connect(db)).toBeUndefined();
    }
  });

  it("prepares each statement once on a synchronous client, and gives it a busy timeout first if it has none", async () => {
    log.length = 0;
    const connection = connect(syncDb(0))!;
    expect(await connection.run({ sql: "UPDATE t", args: ["a", 1, null] })).toBe(3);
    expect(await connection.all({ sql: "SELECT x", args: [] })).toEqual([{ x: 1 }]);
    await connection.run({ sql: "UPDATE t", args: ["b"] });
    await connection.batch([{ sql: "CREATE a", args: [] }, { sql: "CREATE b", args: [1] }]);
    expect(log).toEqual([
      "prepare PRAGMA busy_timeout",
      "all PRAGMA busy_timeout []",
      `prepare PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`,
      `all PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS} []`,
      "prepare UPDATE t",
      'run UPDATE t ["a",1,null]',
      "prepare SELECT x",
      "all SELECT x []",
      'run UPDATE t ["b"]',
      "prepare CREATE a",
      "run CREATE a []",
      "prepare CREATE b",
      "run CREATE b [1]",
    ]);
  });

  it("gives a synchronous client a busy timeout when the pragma answers no row", async () => {
    log.length = 0;
    const db = syncDb(0);
    const prepare = db.prepare;
    db.prepare = (sql: string) => (sql === "PRAGMA busy_timeout" ? { ...prepare(sql), all: () => [] } : prepare(sql));
    await connect(db)!.run({ sql: "UPDATE t", args: [] });
    expect(log).toContain(`prepare PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  });

  it("keeps a synchronous client's own busy timeout", async () => {
    log.length = 0;
    await connect(syncDb(250))!.run({ sql: "UPDATE t", args: [] });
    expect(log).toEqual(["prepare PRAGMA busy_timeout", "all PRAGMA busy_timeout []", "prepare UPDATE t", "run UPDATE t []"]);
  });

  it("binds a D1 statement's arguments and reads its changes and results; a batch is one call", async () => {
    const calls: string[] = [];
    const d1 = {
      prepare: (sql: string) => ({
        bind: (...args: unknown[]) => ({
          sql,
          run: async () => (calls.push(`run ${sql} ${JSON.stringify(args)}`), { meta: { changes: 1 } }),
          all: async () => (calls.push(`all ${sql} ${JSON.stringify(args)}`), { results: [{ y: 2 }] }),
        }),
      }),
      batch: async (statements: Array<{ sql: string }>) => (calls.push(`batch ${statements.map(({ sql }) => sql).join(", ")}`), []),
    };
    const connection = connect(d1)!;
    expect(await connection.run({ sql: "DELETE", args: ["x"] })).toBe(1);
    expect(await connection.all({ sql: "SELECT", args: [1, null] })).toEqual([{ y: 2 }]);
    await connection.batch([{ sql: "A", args: [] }, { sql: "B", args: [] }]);
    expect(calls).toEqual(['run DELETE ["x"]', "all SELECT [1,null]", "batch A, B"]);
  });

  it("sends libSQL statements with execute and a batch in write mode; a remote database gets no pragma", async () => {
    const calls: unknown[] = [];
    const libsql = (protocol: string, timeout: number) => ({
      protocol,
      execute: async (statement: { sql: string; args: unknown[] }) => {
        calls.push(statement);
        return { rows: statement.sql === "PRAGMA busy_timeout" ? [{ timeout }] : [{ z: 3 }], rowsAffected: 4 };
      },
      batch: async (statements: unknown[], mode: string) => (calls.push({ batch: statements, mode }), []),
    });
    const remote = connect(libsql("https", 0))!;
    expect(await remote.run({ sql: "UPDATE", args: ["a"] })).toBe(4);
    expect(await remote.all({ sql: "SELECT", args: [] })).toEqual([{ z: 3 }]);
    await remote.batch([{ sql: "A", args: [1] }]);
    expect(calls).toEqual([{ sql: "UPDATE", args: ["a"] }, { sql: "SELECT", args: [] }, { batch: [{ sql: "A", args: [1] }], mode: "write" }]);
    calls.length = 0;
    const file = connect(libsql("file", 0))!;
    await file.batch([{ sql: "A", args: [] }]);
    await file.run({ sql: "UPDATE", args: [] });
    expect(calls).toEqual([
      { sql: "PRAGMA busy_timeout", args: [] },
      { sql: `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`, args: [] },
      { batch: [{ sql: "A", args: [] }], mode: "write" },
      { sql: "UPDATE", args: [] },
    ]);
    calls.length = 0;
    await connect(libsql("file", 100))!.run({ sql: "UPDATE", args: [] });
    expect(calls).toEqual([{ sql: "PRAGMA busy_timeout", args: [] }, { sql: "UPDATE", args: [] }]);
  });
});

describe("SQLite driver failures", () => {
  const failing = (reason: unknown): SqlConnection => ({
    run: () => Promise.reject(reason),
    all: () => Promise.reject(reason),
    batch: () => Promise.reject(reason),
  });

  it.each([
    ["an Error with a code", Object.assign(new TypeError("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY", args: ["secret"] }), "TypeError", "SQLITE_BUSY: database is locked", "SQLITE_BUSY"],
    ["an Error with a code that is not text", Object.assign(new Error("refused"), { code: { args: ["secret"] } }), "Error", "refused", undefined],
    ["a string", "the connection went away", "Error", "the connection went away", undefined],
  ])("reject with ERR_SESSION_STORE and a cause of name, message and code only, for %s", async (_label, reason, name, message, code) => {
    const driver = new SqliteDriver(failing(reason), "t");
    for (const operation of [() => driver.read("id"), () => driver.prune(0), () => driver.migrate(), () => driver.list("o", 0, undefined), () => driver.touch("id", 0, 0)]) {
      const error = (await operation().then(
        () => undefined,
        (error: unknown) => error,
      )) as SessionError;
      expect(error).toBeInstanceOf(SessionError);
      expect(error.code).toBe("ERR_SESSION_STORE");
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.cause).not.toBe(reason);
      const cause = error.cause as Error & { code?: unknown };
      expect({ name: cause.name, message: cause.message, code: cause.code }).toEqual({ name, message, code });
      // Nothing else of the original (its args) comes along.
      expect(Object.keys(cause).filter((key) => key !== "name")).toEqual(code === undefined ? [] : ["code"]);
    }
  });
});
