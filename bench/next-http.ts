/**
 * `npx tsx bench/next-http.ts`: what the Next.js adapter costs per request inside a production
 * Next.js server. Builds test/next-app (`next build`), serves it (`next start`) on a free loopback
 * port, and times sequential requests over HTTP, interleaved in rounds so that load on a shared
 * machine hits every row alike:
 *
 * - `GET /api/gate` — a Route Handler without sessions (the baseline);
 * - `GET /api/count` — `withSessions` reading a cookie-store session (Node.js runtime);
 * - `POST /api/count` — the same, counting and saving (a new `Set-Cookie` each time);
 * - `POST /api/edge-count` — counting and saving on the Edge runtime.
 *
 * Prints a Markdown table of medians and 90th percentiles. Environment: ROUNDS (default 6) and
 * PER_ROUND (default 50) requests per row and round.
 */

import { join } from "node:path";
import { cpus, release } from "node:os";
import { buildNextApp, startNextApp } from "../test/support/next-app.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const PER_ROUND = Number(process.env.PER_ROUND ?? 50);
const SECRET = "a-bench-secret-that-is-long-enough-000001";

const appDir = join(import.meta.dirname, "..", "test", "next-app");

interface Row {
  label: string;
  method: "GET" | "POST";
  path: string;
  samples: number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  const buildMs = await buildNextApp(appDir, { SESSION_SECRET: SECRET });
  const server = await startNextApp(appDir, { SESSION_SECRET: SECRET });
  try {
    // One signed-in browser: its cookie goes with every request.
    const first = await fetch(`${server.base}/api/count`, { method: "POST" });
    let cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
    const rows: Row[] = [
      { label: "Route Handler, no sessions (baseline)", method: "GET", path: "/api/gate?id=bench", samples: [] },
      { label: "withSessions, read (Node.js)", method: "GET", path: "/api/count", samples: [] },
      { label: "withSessions, count and save (Node.js)", method: "POST", path: "/api/count", samples: [] },
      { label: "withSessions, count and save (Edge)", method: "POST", path: "/api/edge-count", samples: [] },
    ];
    // Warm-up: the first requests of a route load its bundle.
    for (const row of rows) for (let i = 0; i < 20; i++) await (await fetch(server.base + row.path, { method: row.method, headers: { Cookie: cookie } })).arrayBuffer();
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of rows) {
        for (let i = 0; i < PER_ROUND; i++) {
          const started = performance.now();
          const response = await fetch(server.base + row.path, { method: row.method, headers: { Cookie: cookie } });
          await response.arrayBuffer();
          row.samples.push(performance.now() - started);
          if (response.status !== 200) throw new Error(`${row.method} ${row.path} answered ${response.status}`);
          const set = response.headers.getSetCookie()[0];
          if (set) cookie = set.split(";")[0]!;
        }
      }
    }
    const baseline = percentile([...rows[0]!.samples].sort((a, b) => a - b), 0.5);
    console.log(`next build: ${(buildMs / 1000).toFixed(1)} s; ${ROUNDS}×${PER_ROUND} sequential requests per row`);
    console.log(`machine: ${cpus().length}× ${cpus()[0]?.model}, Linux ${release()}, Node ${process.version}\n`);
    console.log("| route | median ms | p90 ms | median over baseline |");
    console.log("|---|---:|---:|---:|");
    for (const row of rows) {
      const sorted = [...row.samples].sort((a, b) => a - b);
      const median = percentile(sorted, 0.5);
      const over = median - baseline;
      console.log(`| ${row.label} | ${median.toFixed(2)} | ${percentile(sorted, 0.9).toFixed(2)} | ${over < 0 ? "-" : "+"}${Math.abs(over).toFixed(2)} ms |`);
    }
  } finally {
    await server.stop();
  }
}

await main();
