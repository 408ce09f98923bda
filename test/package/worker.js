import { probe, twice } from "./probe.js";
import * as workers from "web-sessions/workers";
import * as durableObjects from "web-sessions/durable-objects";

// The Durable Object class behind the SESSIONS binding.
export { SessionsObject } from "web-sessions/durable-objects";

const SECRET = "a-package-test-secret-at-least-32-chars";

export default {
  async fetch(_request, env) {
    const access = env.UPSTASH_URL ? { url: env.UPSTASH_URL, token: env.UPSTASH_TOKEN } : undefined;
    const result = await probe(access);
    result.exports["web-sessions/durable-objects"] = Object.keys(durableObjects).sort();
    result.counts.push(...(await twice(workers, new durableObjects.DurableObjectStore({ namespace: env.SESSIONS, secrets: SECRET }))));
    return Response.json(result);
  },
};
