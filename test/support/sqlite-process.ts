/**
 * One process of the two-process SQLite tests (run by `node --import tsx`): it opens the file with
 * better-sqlite3, migrates, then with the cookie it was given sets `count` keys named
 * `<prefix><i>`, one request each, and prints "done". Two of these on one file race for its lock.
 *
 * Args: file, table, cookie header, key prefix, count.
 */
import Database from "better-sqlite3";
import { Hono } from "hono";
import { getSession, sessions } from "../../adapters/hono.ts";
import { SqliteStore } from "../../src/stores/sqlite.ts";
import { SECRET } from "./browser.ts";

const [file, table, cookie, prefix, count] = process.argv.slice(2) as [string, string, string, string, string];
const db = new Database(file);
const store = new SqliteStore({ db, secrets: [SECRET], table });
await store.migrate();
const app = new Hono();
app.use(sessions("session", store));
app.post("/set/:key", async (c) => {
  getSession(c).set(c.req.param("key"), true);
  await getSession(c).save();
  return c.text(getSession(c).isNew ? "new" : "ok");
});
for (let i = 0; i < Number(count); i++) {
  const response = await app.request(`/set/${prefix}${i}`, { method: "POST", headers: { Cookie: cookie } });
  const text = await response.text();
  if (text !== "ok") throw new Error(`request ${i} answered ${response.status} ${text}`);
}
db.close();
process.stdout.write("done\n");
