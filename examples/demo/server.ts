/**
 * `npm start`: the demo on `PORT` (default 8000), sessions in memory.
 * `SECURE_COOKIES=false` drops the `Secure` attribute for browsers that refuse Secure cookies on
 * http://localhost (Safari); Chrome and Firefox accept them there.
 *
 * @module
 */

import { MemoryStore } from "../../src/index.ts";
import { exampleSecret, serveIfMain } from "../serve.ts";
import { createApp } from "./app.ts";

const store = new MemoryStore({ secrets: exampleSecret() });
export const app = createApp(store, { secureCookies: process.env.SECURE_COOKIES !== "false" });

serveIfMain(app, import.meta.url);
