/**
 * A module Worker that runs SqliteStore's tests inside workerd on a real D1 binding: the store
 * conformance suite (server-store races included) and test/sqlite-cases.ts. `GET /cases` lists the
 * case names; `POST /run?case=NAME` runs one and answers `{ ok: true }` or `{ ok: false, error }`.
 * test/sqlite-runtimes.test.ts drives it from vitest.
 */
import type { SqliteDatabase } from "../../../src/stores/sqlite.ts";
import { storeConformance } from "../../../testing/index.ts";
import { freshTable, sqliteCases, sqliteStore } from "../../sqlite-cases.ts";
import { scopedRunner } from "../../support/assert.ts";
import { SECRET } from "../../support/browser.ts";

interface Env {
  DB: SqliteDatabase;
}

let current: Env | undefined;
const db = (): SqliteDatabase => current!.DB;

const cases = new Map<string, () => Promise<void>>();
const runner = scopedRunner((name, body) => void cases.set(name, body));
// Chosen at the first case: workerd allows no random values at global scope.
let table: string | undefined;

storeConformance(runner, "SqliteStore (D1 in workerd)", {
  make: (secrets = [SECRET], options) => sqliteStore(db(), { table: (table ??= freshTable()), secrets, ...options }),
  serverSide: true,
  // Every store made here reaches the same database, as every instance of a Worker does.
  sharedBackend: true,
});
runner.describe("SqliteStore (D1 in workerd)", () => sqliteCases(runner.it, db));

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/cases") return Response.json([...cases.keys()]);
    const body = cases.get(url.searchParams.get("case") ?? "");
    if (!body) return new Response("no such case", { status: 404 });
    current = env;
    try {
      await body();
      return Response.json({ ok: true });
    } catch (error) {
      return Response.json({ ok: false, error: error instanceof Error ? `${error.stack ?? error.message}` : String(error) });
    }
  },
};
