// The Next.js example: `npx next dev examples/next` from the repository (see docs/adapters/next.md).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const config: NextConfig = {
  // The example imports web-sessions from the repository's sources (tsconfig.json "paths");
  // an app that installs the package needs neither of these two lines.
  turbopack: { root: repo },
  outputFileTracingRoot: repo,
};

export default config;
