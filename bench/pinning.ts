/**
 * Which CPUs a process and its threads may run on, read from Linux's /proc: the run pins itself
 * with `taskset -c 0`, and this shows that Deno, Bun and workerd (started from it) inherited that.
 */

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { platform } from "node:os";

/**
 * Re-runs `script` pinned to one CPU (where `taskset` exists): CPU 0, or BENCH_CPU when another
 * pinned run already holds CPU 0 on a shared machine. Passes `nodeArgs`, exits with the child's
 * status; returns at once in that pinned child (BENCH_CHILD is set), which sees in BENCH_PINNED
 * how it runs. Runtimes started from the child inherit the pinning.
 */
export function runPinned(script: string, nodeArgs: readonly string[] = []): void {
  if (process.env.BENCH_CHILD) return;
  const cpu = process.env.BENCH_CPU ?? "0";
  const node = [process.execPath, ...nodeArgs, "--import", "tsx", script];
  const canPin = platform() === "linux" && spawnSync("taskset", ["-c", cpu, "true"]).status === 0;
  const command = canPin ? ["taskset", "-c", cpu, ...node] : node;
  const env = { ...process.env, BENCH_CHILD: "1", BENCH_PINNED: canPin ? `pinned to CPU ${cpu} with taskset -c ${cpu}` : "not pinned (no taskset here)" };
  const run = spawnSync(command[0]!, command.slice(1), { stdio: "inherit", env });
  process.exit(run.status ?? 1);
}

/** The distinct `Cpus_allowed_list` values of a process's threads (e.g. ["0"]); [] where /proc is not there. */
export function allowedCpus(pid: number | "self" = "self"): string[] {
  try {
    const lists = readdirSync(`/proc/${pid}/task`).map((tid) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8"))?.[1] ?? "?");
    return [...new Set(lists)];
  } catch {
    return [];
  }
}

/** Processes whose parent is `parent` (or a descendant of it) and whose command name is `name`. */
export function descendants(parent: number, name: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const parentOf = new Map<number, { ppid: number; comm: string }>();
  for (const pid of pids) {
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after its ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      parentOf.set(Number(pid), { comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(stat.slice(close + 2).split(" ")[1]) });
    } catch {
      // The process ended while we looked.
    }
  }
  const isBelow = (pid: number): boolean => {
    for (let p = parentOf.get(pid)?.ppid; p !== undefined && p > 1; p = parentOf.get(p)?.ppid) if (p === parent) return true;
    return false;
  };
  return [...parentOf].filter(([pid, info]) => info.comm === name && isBelow(pid)).map(([pid]) => pid);
}

/** "CPUs allowed: 0" for the method line, or "" where it cannot be read. */
export function describeCpus(lists: readonly string[]): string {
  return lists.length ? `CPUs allowed: ${lists.join(", ")}` : "";
}
