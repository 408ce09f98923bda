// The test app of the Next.js adapter: built once per test run (test/next.test.ts), then served
// with `next start`.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const config: NextConfig = {
  // The app imports the library from the repository's sources, outside this folder.
  turbopack: { root: repo },
  outputFileTracingRoot: repo,
  // The repository type-checks the app itself (npm run typecheck), with its own TypeScript.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

export default config;
