/**
 * Another process's CPU time, read from Linux's /proc: what bench/workerd.ts times workerd with.
 * Wall time around a dispatch counts whatever else the shared machine ran meanwhile (on one pinned
 * CPU, any other process descheduled workerd for its whole slice); the time workerd's own threads
 * spent on a CPU does not. Workerd's clock is no help: it stands still during computation.
 */

import { readdirSync, readFileSync } from "node:fs";

/**
 * Nanoseconds on a CPU from one `/proc/<pid>/task/<tid>/schedstat` line ("<ns on cpu> <ns
 * waiting> <timeslices>"), or NaN if the line is not that shape.
 */
export function parseSchedstat(line: string): number {
  const match = /^\s*(\d+)\s+\d+\s+\d+\s*$/.exec(line);
  return match ? Number(match[1]) : Number.NaN;
}

/** Sum of nanoseconds on a CPU over all threads of `pids`; undefined where /proc cannot be read. */
export function cpuNs(pids: readonly number[]): number | undefined {
  let total = 0;
  try {
    for (const pid of pids) {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        let line: string;
        try {
          line = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8");
        } catch {
          continue; // the thread ended between the listing and the read
        }
        const ns = parseSchedstat(line);
        if (Number.isNaN(ns)) return undefined;
        total += ns;
      }
    }
  } catch {
    return undefined;
  }
  return pids.length ? total : undefined;
}
