/**
 * The conformance suite's runner under `deno test`: `describe` only names the tests, each case is
 * one `Deno.test`, and `expect` is made of `node:assert/strict` (Deno has no `expect` of its own
 * without JSR's @std/expect).
 */
import type { ConformanceRunner } from "../../../testing/index.ts";
import { scopedRunner } from "../../support/assert.ts";

export const denoRunner: ConformanceRunner = scopedRunner((name, body) => Deno.test(name, body));
