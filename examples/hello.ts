// Twin of the seed's "New" section: one named session, saved only when its value changes.
import { Hono } from "hono";
import { CookieStore } from "../src/index.ts";
import { getSession, sessions } from "../adapters/hono.ts";
import { exampleSecret, serveIfMain } from "./serve.ts";

export const app = new Hono();
const store = new CookieStore({ secrets: exampleSecret() });
app.use(sessions("mysession", store));

app.get("/hello", async (c) => {
  const session = getSession<{ hello: string }>(c);

  if (session.get("hello") !== "world") {
    session.set("hello", "world");
    await session.save();
  }

  return c.json({ hello: session.get("hello") });
});

serveIfMain(app, import.meta.url);
