// SqliteStore on node:sqlite's DatabaseSync under `deno test`: the conformance suite and
// SqliteStore's own cases (test/sqlite-cases.ts), on a SQLite file in a temporary folder.
// @ts-expect-error: @types/node 20 (the project's) has no types for node:sqlite, which Deno 2.9 runs.
import { DatabaseSync } from "node:sqlite";
import { storeConformance } from "../../../testing/index.ts";
import { SECRET } from "../../support/browser.ts";
import { freshTable, sqliteCases, sqliteStore } from "../../sqlite-cases.ts";
import { denoRunner } from "../deno/runner.ts";

const dir = await Deno.makeTempDir({ prefix: "web-sessions-sqlite-" });
const db = new DatabaseSync(`${dir}/sessions.db`);
const table = freshTable();

storeConformance(denoRunner, "SqliteStore (node:sqlite)", {
  make: (secrets = [SECRET], options) => sqliteStore(db, { table, secrets, ...options }),
  serverSide: true,
  sharedBackend: true,
});
sqliteCases((name, body) => Deno.test(`SqliteStore (node:sqlite) > ${name}`, body), () => db);

// Runs last: Deno runs a file's tests in the order they were declared.
Deno.test("closes the database", async () => {
  db.close();
  await Deno.remove(dir, { recursive: true });
});
