/**
 * The cookie-session tables measured under Deno or Bun: run by bench/run.ts as
 * `deno run -A bench/runtime.ts` and `bun bench/runtime.ts`, it prints one line `RESULT <json>`
 * with both routes' rows. ROUNDS, MS and WARMUP come from the environment.
 */

import { measureRoute } from "./measure.ts";
import { allowedCpus, describeCpus } from "./pinning.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { VARIANTS } from "./variants.ts";

const runtime = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const name = runtime.Deno ? `Deno ${runtime.Deno.version.deno}` : runtime.Bun ? `Bun ${runtime.Bun.version}` : "unknown runtime";
const env = process.env;
const options = { rounds: Number(env.ROUNDS ?? 5), ms: Number(env.MS ?? 250), warmup: Number(env.WARMUP ?? 1000), log: (line: string) => console.error(line) };
const counter = await measureRoute("counter", VARIANTS, options);
const read = await measureRoute("read", READ_VARIANTS, options);
// Its own threads' CPUs: proof that the pinning of bench/run.ts reached this process.
const method = ["in process, app.request()", describeCpus(allowedCpus())].filter(Boolean).join("; ");
console.log(`RESULT ${JSON.stringify({ runtime: name, method, counter, read })}`);
