import { probe } from "./probe.js";

// Node and Bun have process.env; Deno has Deno.env.
const env = globalThis.Deno ? globalThis.Deno.env.toObject() : process.env;
const access = env.UPSTASH_URL ? { url: env.UPSTASH_URL, token: env.UPSTASH_TOKEN } : undefined;
console.log(JSON.stringify(await probe(access)));
