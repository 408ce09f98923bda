import { probe } from "./probe.js";

export default {
  async fetch(_request, env) {
    const access = env.UPSTASH_URL ? { url: env.UPSTASH_URL, token: env.UPSTASH_TOKEN } : undefined;
    return Response.json(await probe(access));
  },
};
