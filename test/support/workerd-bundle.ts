/** Bundles a worker entry for workerd, as `wrangler deploy` does. */
import { build } from "esbuild";

/**
 * `cloudflare:` modules (the Durable Object base class) are the runtime's own and stay imports;
 * `external` adds more (e.g. `node:*` for a worker run with `nodejs_compat`).
 */
export async function bundleForWorkerd(entry: string, absWorkingDir?: string, external: string[] = []): Promise<string> {
  const result = await build({
    absWorkingDir,
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", ...external],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
