// The store conformance suite under `deno test`: each case becomes one Deno.test.
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

for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Deno.env.toObject())))) {
  storeConformance(runner, label, subject);
}
