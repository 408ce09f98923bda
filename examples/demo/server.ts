/**
 * `npm start`: the demo on `PORT` (default 8000), sessions in memory, or in Redis over HTTP when
 * `UPSTASH_REDIS_REST_URL` and `UPSTASH_REDIS_REST_TOKEN` are set (then any number of instances
 * share them: `npm run demo:distributed`).
 * `SECURE_COOKIES=false` drops the `Secure` attribute for browsers that refuse Secure cookies on
 * http://localhost (Safari); Chrome and Firefox accept them there.
 *
 * @module
 */

import { MemoryStore } from "../../src/index.ts";
import type { Store } from "../../src/index.ts";
import { UpstashRedisStore } from "../../src/stores/upstash.ts";
import { exampleSecret, serveIfMain } from "../serve.ts";
import { DEVICE_LISTING, createApp } from "./app.ts";

function demoStore(): Store {
  const url = process.env.UPSTASH_REDIS_REST_URL;
  const token = process.env.UPSTASH_REDIS_REST_TOKEN;
  if (url && token) return new UpstashRedisStore({ url, token, secrets: exampleSecret(), ...DEVICE_LISTING });
  return new MemoryStore({ secrets: exampleSecret(), ...DEVICE_LISTING });
}

export const app = createApp(demoStore(), {
  secureCookies: process.env.SECURE_COOKIES !== "false",
  instance: process.env.INSTANCE,
});

serveIfMain(app, import.meta.url);
