/**
 * Runs the Deno and Bun binaries that npm installs (devDependencies `deno` and `bun`) from vitest,
 * so `npm test` covers every runtime with one command and one summary.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { storeConformance } from "../../testing/index.ts";
import { nodeExpect } from "./assert.ts";
import { subjects } from "../runtimes/subjects.ts";
import type { DenoKvAccess, TcpRedis, UpstashAccess } from "../runtimes/subjects.ts";
import { denoKvCases } from "../deno-kv-cases.ts";
import type { DenoKv } from "../../src/stores/deno-kv.ts";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The path of a binary from node_modules/.bin; throws saying how to get it when it is missing. */
export function binary(name: "deno" | "bun" | "tsc"): string {
  const path = join(REPO, "node_modules", ".bin", name);
  if (!existsSync(path)) {
    throw new Error(`${name} is missing at ${path}: run \`npm ci\` (it comes with the "${name}" devDependency)`);
  }
  return path;
}

/** `deno --version` / `bun --version`, first line, for test names and the report. */
export function versionOf(name: "deno" | "bun"): string {
  const out = execFileSync(binary(name), ["--version"], { encoding: "utf8" });
  return out.split("\n")[0]!.split(" (")[0]!.trim();
}

export interface Run {
  code: number | null;
  /** stdout and stderr, one after the other. */
  output: string;
  stdout: string;
}

/** Runs a command in the repository and resolves with its exit code and combined output (never rejects). */
export function run(file: string, args: string[], env: Record<string, string> = {}, cwd = REPO): Promise<Run> {
  // vitest sets FORCE_COLOR, which Deno and Bun obey over NO_COLOR: drop it, and strip what is left.
  const { FORCE_COLOR: _, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: { ...inherited, NO_COLOR: "1", ...env }, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
        resolve({ code, output: plain(`${stdout}${stderr}`), stdout: plain(stdout) });
      },
    );
  });
}

/** How many cases the conformance suite declares over the stores of test/runtimes/subjects.ts. */
export function conformanceCaseCount(upstash?: UpstashAccess, redis?: TcpRedis, denoKv?: DenoKvAccess): number {
  let count = 0;
  // A real expect all the same: the suite's assertions take the last one they were handed.
  const runner = { describe: (_name: string, body: () => void) => body(), it: () => void count++, expect: nodeExpect };
  for (const [label, subject] of Object.entries(subjects(upstash, redis, denoKv))) storeConformance(runner, label, subject);
  return count;
}

/** A Deno KV subject that is only counted: the suite never calls a store factory while it declares its cases. */
export const COUNTED_DENO_KV = (label: string): DenoKvAccess => ({ label, kv: {} as DenoKv });

/** How many cases test/deno-kv-cases.ts declares. */
export function denoKvCaseCount(): number {
  let count = 0;
  denoKvCases(() => void count++, () => Promise.reject(new Error("only counted")));
  return count;
}
