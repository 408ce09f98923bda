// Twin of the seed's "DefaultMany" section: `getSession(c, name)` is the seed's `sessions.DefaultMany(c, name)`.
import { Hono } from "hono";
import { CookieStore } from "../src/index.ts";
import { getSession, manySessions } from "../adapters/hono.ts";
import { exampleSecret, serveIfMain } from "./serve.ts";

export const app = new Hono();
const store = new CookieStore({ secrets: exampleSecret() });
const sessionNames = ["a", "b"];
app.use(manySessions(sessionNames, store));

app.get("/hello", async (c) => {
  const sessionA = getSession<{ hello: string }>(c, "a");
  const sessionB = getSession<{ hello: string }>(c, "b");

  if (sessionA.get("hello") !== "world!") {
    sessionA.set("hello", "world!");
    await sessionA.save();
  }

  if (sessionB.get("hello") !== "world?") {
    sessionB.set("hello", "world?");
    await sessionB.save();
  }

  return c.json({
    a: sessionA.get("hello"),
    b: sessionB.get("hello"),
  });
});

serveIfMain(app, import.meta.url);
