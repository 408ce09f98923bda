// The store conformance suite under `deno test`: each case becomes one Deno.test. DenoKvStore
// runs on Deno's own KV (`deno test --unstable-kv`), in memory.
import { storeConformance } from "../../conformance-suite.ts";
import type { SuiteRunner } from "../../conformance-suite.ts";
import { subjects, upstashFromEnv } from "../subjects.ts";

const scope: string[] = [];
const runner: SuiteRunner = {
  describe(name, body) {
    scope.push(name);
    try {
      body();
    } finally {
      scope.pop();
    }
  },
  it(name, body) {
    Deno.test([...scope, name].join(" > "), body);
  },
};

const kv = await Deno.openKv(":memory:");
// Left open: Deno.test has no hook after the last test, and the process ends with the run.
for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Deno.env.toObject()), undefined, { label: "Deno.openKv", kv }))) {
  storeConformance(runner, label, subject);
}
