// The store conformance suite under `bun test`, with bun:test's own describe and it.
import { describe, it } from "bun:test";
import { storeConformance } from "../../conformance-suite.ts";
import { subjects, upstashFromEnv } from "../subjects.ts";

for (const [label, subject] of Object.entries(subjects(upstashFromEnv(Bun.env)))) {
  storeConformance({ describe, it }, label, subject);
}
