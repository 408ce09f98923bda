// SqliteStore on bun:sqlite under `bun test`: the conformance suite and SqliteStore's own cases
// (test/sqlite-cases.ts), on a SQLite file in a temporary folder.
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeConformance } from "../../../testing/index.ts";
import { SECRET } from "../../support/browser.ts";
import { freshTable, sqliteCases, sqliteStore } from "../../sqlite-cases.ts";

const dir = mkdtempSync(join(tmpdir(), "web-sessions-sqlite-"));
const db = new Database(join(dir, "sessions.db"));
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
const table = freshTable();

storeConformance({ describe, it, expect }, "SqliteStore (bun:sqlite)", {
  make: (secrets = [SECRET], options) => sqliteStore(db, { table, secrets, ...options }),
  serverSide: true,
  sharedBackend: true,
});
describe("SqliteStore (bun:sqlite)", () => sqliteCases((name, body) => it(name, body, 30_000), () => db));
