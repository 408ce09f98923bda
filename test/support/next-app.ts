/**
 * Builds a Next.js app with `next build` and serves it with `next start` on a free loopback port,
 * for the Next.js adapter's tests. The server runs in a process group of its own, stopped by
 * `stop()` (and when the test process exits, should a test runner skip `afterAll`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

const repo = join(import.meta.dirname, "..", "..");
const nextBin = join(repo, "node_modules", "next", "dist", "bin", "next");

export interface NextServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** What the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  if (!existsSync(nextBin)) {
    throw new Error(`Next.js is not installed at ${nextBin}: run "npm ci" (next, react and react-dom are devDependencies)`);
  }
  return spawn(process.execPath, [nextBin, ...args], {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

function collect(child: ChildProcess): () => string {
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  return () => text;
}

/** `next build` in `dir`; resolves how long it took in ms, rejects with the build's output on failure. */
export function buildNextApp(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = run(["build", "."], dir, env);
  const output = collect(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(performance.now() - started);
      else reject(new Error(`next build failed (exit ${code}):\n${output()}`));
    });
  });
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

/** `next start` on a free port of 127.0.0.1; resolves once the server answers. */
export async function startNextApp(dir: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<NextServer> {
  const port = await freePort();
  const child = run(["start", ".", "--port", String(port), "--hostname", "127.0.0.1"], dir, env);
  const output = collect(child);
  const killOnExit = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  process.once("exit", killOnExit);
  const server: NextServer = {
    base: `http://127.0.0.1:${port}`,
    output,
    async stop() {
      process.off("exit", killOnExit);
      await stopGroup(child);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output()}`);
    try {
      await fetch(`${server.base}/`, { signal: AbortSignal.timeout(2_000) });
      return server;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await server.stop();
  throw new Error(`next start did not answer within ${timeoutMs} ms:\n${output()}`);
}
