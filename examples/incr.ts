// Twin of the seed's "Example" / "NewStore" section: a counter in a cookie-store session.
import { Hono } from "hono";
import { CookieStore } from "../src/index.ts";
import { getSession, sessions } from "../adapters/hono.ts";
import { exampleSecret, serveIfMain } from "./serve.ts";

export const app = new Hono();
const store = new CookieStore({ secrets: exampleSecret() });
app.use(sessions("mysession", store));

app.get("/incr", async (c) => {
  const session = getSession<{ count: number }>(c);
  let count = 0;
  const v = session.get("count");
  if (v !== undefined) {
    count = v;
    count++;
  }
  session.set("count", count);
  // Unlike the seed's `_ = session.Save()`, a failed save is not ignored: it becomes a 500.
  await session.save();
  return c.json({ count });
});

serveIfMain(app, import.meta.url);
