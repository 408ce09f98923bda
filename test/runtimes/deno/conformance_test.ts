// The store conformance suite (web-sessions/testing) under `deno test`: each case becomes one
// Deno.test. DenoKvStore runs on Deno's own KV (`deno test --unstable-kv`), in memory.
import { storeConformance } from "../../../testing/index.ts";
import { subjects, upstashFromEnv } from "../subjects.ts";
import { denoRunner } from "./runner.ts";

const kv = await Deno.openKv(":memory:");
// Left open: Deno.test has no hook after the last test, and the process ends with the run.
for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Deno.env.toObject()), undefined, { label: "Deno.openKv", kv }))) {
  storeConformance(denoRunner, label, subject);
}
