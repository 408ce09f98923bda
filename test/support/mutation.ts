/**
 * Under mutation testing (vitest.mutation.config.ts sets MUTATION_RUN) every surviving mutant
 * reruns each generated-input test that reaches it, so those tests run a tenth of their cases
 * there; `npm test` runs them all.
 */
export function generatedRuns(runs: number): number {
  return process.env.MUTATION_RUN ? Math.ceil(runs / 10) : runs;
}
