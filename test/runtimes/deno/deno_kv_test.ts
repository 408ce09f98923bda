// DenoKvStore's own cases (test/deno-kv-cases.ts) on Deno's KV, in memory: `deno test --unstable-kv`.
import { denoKvCases } from "../../deno-kv-cases.ts";

denoKvCases((name, body) => Deno.test(`DenoKvStore (Deno.openKv) > ${name}`, body), () => Deno.openKv(":memory:"));
